"""What the site gets beyond one page per note: a home page, tag pages, graph data, feeds."""
