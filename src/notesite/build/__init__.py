"""How a build runs: in one process, with worker processes, or incrementally (the live preview).

The plugin (:mod:`notesite.plugin`) maps MkDocs' events onto this layer; the core (syntax,
loader, graph, markdown extensions) knows nothing of it. One module per concern:

- :mod:`~notesite.build.state`: one build, a method per MkDocs phase;
- :mod:`~notesite.build.phases`: the interface of each phase where work made elsewhere (worker
  processes, a cache) takes the place of work done here;
- :mod:`~notesite.build.reading`: the vault read into notes and their link graph;
- :mod:`~notesite.build.pages`: the generated pages and data files;
- :mod:`~notesite.build.context`: what a page's template shows besides the page;
- :mod:`~notesite.build.navigation`: the navigation's few entries;
- :mod:`~notesite.build.memo`: what a build remembers of what it made, by what it made it from;
- :mod:`~notesite.build.affected`: what depends on what (the pages a change alters);
- :mod:`~notesite.build.tally`: problems logged and counted for the closing line;
- :mod:`~notesite.build.extensions`: the Markdown extensions and templates of a site;
- :mod:`~notesite.build.converter`: pages converted with one Markdown instance;
- :mod:`~notesite.build.search`: each page's HTML read for the search index without
  ``html.parser`` where it can be;
- :mod:`~notesite.build.workers` and :mod:`~notesite.build.farm`: pages converted and
  templates rendered in forked processes;
- :mod:`~notesite.build.live`, :mod:`~notesite.build.stamps` and :mod:`~notesite.build.watch`:
  ``mkdocs serve`` re-rendering only what a save changed.
- :mod:`~notesite.build.cache` (with :mod:`~notesite.build.cachekeys`,
  :mod:`~notesite.build.sitekey`, :mod:`~notesite.build.cachefiles` and
  :mod:`~notesite.build.copier`): the pages an earlier build made, kept and reused.
"""
