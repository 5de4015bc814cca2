/* notesite: behaviour of notesite pages. Loaded on every page. */
