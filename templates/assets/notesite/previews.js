/* notesite: hover previews. */
