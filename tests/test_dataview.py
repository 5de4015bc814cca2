"""Dataview queries on real builds: each clause as the reader sees it (parsed HTML), inline
queries, DataviewJS placeholders, errors (a box in place and a warning with file and line), and
query results kept out of the graph and backlinks."""

from __future__ import annotations

import json

import pytest

from tests.conftest import SEEDS, BuildSite, Site, seed_files

PAPERS = {
    "Papers/Alpha.md": (
        "---\ntags: [paper, on/china]\nyear: 2020\nNote Type: literature\ncreated: 2024-01-05\n---\n"
        "status:: reading\nrating:: 4\nsource:: [[Web]]\n\n- [ ] summarise [[Beta]] #todo\n- [x] read it\n"
    ),
    "Papers/Beta.md": "---\ntags: [paper]\nyear: 2018\ncreated: 2024-01-20\n---\nstatus:: done\nrating:: 2\n",
    "Papers/Gamma.md": "---\ntags: paper\ncreated: 2024-02-02\n---\nstatus:: reading\n\n- [ ] ask [[Web]]\n",
    "Web.md": "A web page note.\n",
}


def query_page(build_site: BuildSite, body: str, **kwargs: object) -> tuple[Site, object]:
    site = build_site({**PAPERS, "Index.md": body}, **kwargs)
    assert site.returncode == 0, site.log
    return site, site.article("Index.md")


def cells(table: object) -> list[list[str]]:
    return [[td.text().strip() for td in tr.css("td")] for tr in table.css("tbody tr")]  # type: ignore[attr-defined]


def test_table_with_columns_sort_and_links(build_site: BuildSite) -> None:
    site, article = query_page(
        build_site,
        '```dataview\nTABLE status AS "Status", rating, year, source\nFROM #paper\nSORT rating DESC\n```\n',
    )
    table = article.css_first("table[data-ns-sortable]")  # type: ignore[attr-defined]
    assert table.attributes["data-ns-sortable"] == ""
    assert [th.text() for th in table.css("th")] == ["File", "Status", "rating", "year", "source"]
    assert cells(table) == [
        ["Alpha", "reading", "4", "2020", "Web"],
        ["Beta", "done", "2", "2018", ""],
        ["Gamma", "reading", "", "", ""],  # missing properties: empty cells
    ]
    link = table.css_first("td a.ns-wikilink")
    assert site.resolve_href("Index.md", link.attributes["href"]) == site.output_path(
        "Papers/Alpha.md"
    )
    assert table.css_first("td[data-sort='4']") is not None
    assert "assets/notesite/sortable.js" in site.output_path("Index.md").read_text()
    assert "assets/notesite/sortable.js" not in site.output_path("Web.md").read_text()


def test_list_from_sources_where_limit(build_site: BuildSite) -> None:
    _, article = query_page(
        build_site,
        "```dataview\nLIST FROM #on/china\n```\n\n"
        '```dataview\nLIST FROM "Papers" AND -#on WHERE status = "reading"\n```\n\n'
        "```dataview\nLIST FROM [[Web]] SORT file.name DESC\n```\n\n"
        "```dataview\nLIST FROM outgoing([[Alpha]])\n```\n\n"
        "```dataview\nLIST status FROM #paper SORT file.name LIMIT 2\n```\n\n"
        '```dataview\nLIST WITHOUT ID upper(file.name) FROM "Papers" WHERE note-type = "literature"\n```\n',
    )
    lists = [[li.text() for li in ul.css("li")] for ul in article.css("ul.ns-query-list")]  # type: ignore[attr-defined]
    assert lists == [
        ["Alpha"],
        ["Gamma"],
        ["Gamma", "Alpha"],
        ["Web", "Beta"],
        ["Alpha: reading", "Beta: done"],
        ["ALPHA"],
    ]


def test_group_by_and_flatten(build_site: BuildSite) -> None:
    _, article = query_page(
        build_site,
        "```dataview\nTABLE length(rows) AS Count, rows.file.link AS Papers\nFROM #paper\nGROUP BY status\n```\n\n"
        '```dataview\nTABLE WITHOUT ID tag, file.link\nFROM #paper\nFLATTEN file.etags AS tag\nWHERE tag != "#paper"\n```\n\n'
        "```dataview\nLIST FROM #paper GROUP BY status\n```\n",
    )
    grouped, flattened = article.css("table[data-ns-sortable]")  # type: ignore[attr-defined]
    assert [th.text() for th in grouped.css("th")] == ["Group", "Count", "Papers"]
    assert cells(grouped)[0] == ["done", "1", "Beta"]
    assert cells(grouped)[1][:2] == ["reading", "2"]
    assert [a.text() for a in grouped.css("tbody tr:last-child td:last-child li a")] == [
        "Alpha",
        "Gamma",
    ]
    assert cells(flattened) == [["#on/china", "Alpha"], ["#todo", "Alpha"]]
    groups = article.css_first("ul.ns-query-list")  # type: ignore[attr-defined]
    assert [li.text(deep=False).strip() for li in groups.iter() if li.tag == "li"] == [
        "done",
        "reading",
    ]
    assert [a.text() for a in groups.css("ul ul a")] == ["Beta", "Alpha", "Gamma"]


def test_tasks_calendar_and_inline_values(build_site: BuildSite) -> None:
    _, article = query_page(
        build_site,
        "---\nstatus: hub\n---\nStatus `= this.status`; linked from `= length([[Web]].file.inlinks)`;"
        ' created `= [[Alpha]].file.ctime`; `= dateformat(date(2024-03-05), "yyyy-MM-dd")`.\n\n'
        "```dataview\nTASK FROM #paper WHERE !completed\n```\n\n"
        "```dataview\nCALENDAR file.ctime FROM #paper\n```\n",
    )
    inline = [s.text() for s in article.css("span.ns-query-inline")]  # type: ignore[attr-defined]
    assert inline == ["hub", "2", "January 05, 2024", "2024-03-05"]
    tasks = article.css_first(".ns-query-tasks")  # type: ignore[attr-defined]
    assert [p.text() for p in tasks.css("p.ns-query-group")] == ["Alpha", "Gamma"]
    assert [li.text().strip() for li in tasks.css("li.task-list-item")] == [
        "summarise Beta #todo",
        "ask Web",
    ]
    assert tasks.css_first("li.task-list-item a.ns-tag").text() == "#todo"
    months = article.css(".ns-calendar table")  # type: ignore[attr-defined]
    assert [m.css_first("caption").text() for m in months] == ["January 2024", "February 2024"]
    january = {
        td.css_first(".ns-calendar-day").text(): [a.text() for a in td.css("a")]
        for td in months[0].css("td")
        if td.css_first(".ns-calendar-day")
    }
    assert january["5"] == ["Alpha"] and january["20"] == ["Beta"]


def test_empty_results(build_site: BuildSite) -> None:
    _, article = query_page(
        build_site,
        "```dataview\nTABLE status FROM #nothing\n```\n\n```dataview\nLIST WHERE false\n```\n\n"
        '```dataview\nTASK FROM "Web"\n```\n',
    )
    assert [p.text() for p in article.css("p.ns-query-empty")] == ["No results"] * 3  # type: ignore[attr-defined]


def test_a_bad_query_shows_an_error_box_and_warns_with_its_line(build_site: BuildSite) -> None:
    body = (
        "# Index\n\nBefore.\n\n```dataview\nLIST FROM #paper\n```\n\n"
        "```dataview\nTABLE status\nWHERE status = = 1\n```\n\n"
        'Inline `= nosuch(1)` here.\n\n```dataview\nLIST WHERE "a" - 1\n```\n\nAfter [[Web]].\n'
    )
    site = build_site({**PAPERS, "Index.md": body})
    assert site.returncode == 0, site.log
    assert site.warnings() == [
        "WARNING -  notesite: Index.md:11: Dataview query: unexpected '=' at line 2, column 16",
        "WARNING -  notesite: Index.md:16: Dataview query: cannot compute string - number",
        "WARNING -  notesite: Index.md:14: Dataview query: there is no function 'nosuch' (in `= nosuch(1)`)",
    ]
    article = site.article("Index.md")
    boxes = article.css("div.admonition.failure.ns-query-error")
    assert [b.css_first("p.admonition-title").text() for b in boxes] == ["Dataview query error"] * 2
    assert boxes[0].css("p")[1].text() == "unexpected '=' at line 2, column 16"
    assert [li.text() for li in article.css("ul.ns-query-list li")] == ["Alpha", "Beta", "Gamma"]
    assert "After" in article.text() and "Before." in article.text()
    assert (
        article.css_first("span.ns-query-error").text() == "Dataview: there is no function 'nosuch'"
    )
    assert "```" not in article.text()
    strict = build_site({**PAPERS, "Index.md": body}, strict=True)
    assert strict.returncode == 1


def test_dataviewjs_is_a_discreet_placeholder_or_nothing(build_site: BuildSite) -> None:
    body = "Text `$= dv.current().x` more.\n\n```dataviewjs\ndv.list([1, 2])\n```\n"
    _, article = query_page(build_site, body)
    assert [p.text() for p in article.css(".ns-query-dynamic")] == [  # type: ignore[attr-defined]
        "(dynamic view)",
        "A dynamic view (DataviewJS) is shown here in Obsidian.",
    ]
    assert "dv.list" not in article.text()  # type: ignore[attr-defined]
    _, hidden = query_page(build_site, body, plugin={"dynamic_views": False})
    assert hidden.css(".ns-query-dynamic") == []  # type: ignore[attr-defined]
    assert "dv." not in hidden.text()  # type: ignore[attr-defined]


def test_queries_inside_code_stay_code_and_callouts_hold_queries(build_site: BuildSite) -> None:
    _, article = query_page(
        build_site,
        "````markdown\n```dataview\nLIST\n```\n````\n\n    ```dataview\n    LIST\n    ```\n\n"
        "`` `= this.x` `` is code.\n\n> [!note] Papers\n> ```dataview\n> LIST FROM #paper\n> ```\n",
    )
    codes = [c.text() for c in article.css("pre code")]  # type: ignore[attr-defined]
    assert codes == ["```dataview\nLIST\n```\n", "```dataview\nLIST\n```\n"]
    assert article.css_first("p code").text() == "`= this.x`"  # type: ignore[attr-defined]
    callout = article.css_first("div.admonition.callout")  # type: ignore[attr-defined]
    assert [li.text() for li in callout.css("ul.ns-query-list li")] == ["Alpha", "Beta", "Gamma"]


def test_query_results_are_not_links_of_the_graph_or_backlinks(build_site: BuildSite) -> None:
    site, _ = query_page(build_site, "```dataview\nLIST FROM #paper\n```\n")
    backlinks = [
        a.text() for a in site.article("Papers/Beta.md").css("section.backlinks a.backlinks__link")
    ]
    assert backlinks == ["Alpha"]  # the task's [[Beta]], not the query's result
    graph = json.loads((site.site / "assets/notesite/graph.json").read_text())
    index = [node[0] for node in graph["nodes"]].index("Home")  # (Index.md, no heading)
    assert [edge for edge in graph["links"] if index in edge] == []


def test_a_highlight_shown_as_code_is_no_query(build_site: BuildSite) -> None:
    site = build_site(
        {"Note.md": "Write `==text==` for a highlight; `=1+1` is two.\n"}, strict=True
    )
    assert site.returncode == 0, site.log
    article = site.article("Note.md")
    assert [c.text() for c in article.css("code")] == ["==text=="]
    assert article.css_first("span.ns-query-inline").text() == "2"


def test_text_values_are_rendered_as_markdown(build_site: BuildSite) -> None:
    site = build_site(
        {
            "Task.md": "note:: **bold** and `code`\n\n- [ ] check `dateformat` with [[Web]] #todo\n",
            "Web.md": "",
            "Index.md": '```dataview\nTASK FROM "Task"\n```\n\n```dataview\nTABLE note FROM "Task"\n```\n',
        },
        strict=True,
    )
    assert site.returncode == 0, site.log
    article = site.article("Index.md")
    task = article.css_first("li.task-list-item")
    assert task.css_first("code").text() == "dateformat"
    assert task.css_first("a.ns-wikilink").text() == "Web"
    assert task.css_first("a.ns-tag").text() == "#todo"
    cell = article.css("table[data-ns-sortable] td")[1]
    assert (cell.css_first("strong").text(), cell.css_first("code").text()) == ("bold", "code")


def test_queries_in_worker_processes_give_the_same_pages_and_warnings(
    build_site: BuildSite,
) -> None:
    files = {
        **PAPERS,
        **{f"Many/Note {i}.md": f"status:: s{i % 3}\n" for i in range(30)},
        "Index.md": '```dataview\nTABLE status FROM "Many" SORT file.name LIMIT 3\n```\n\n'
        "```dataview\nLIST WHERE (\n```\n",
    }
    site = build_site(files, plugin={"workers": 2})
    assert site.returncode == 0, site.log
    assert "converting" in site.log  # the pages were converted in worker processes
    assert site.warnings() == [
        "WARNING -  notesite: Index.md:5: Dataview query: the query ends too early"
    ]
    article = site.article("Index.md")
    assert cells(article.css_first("table[data-ns-sortable]")) == [
        ["Note 0", "s0"],
        ["Note 1", "s1"],
        ["Note 10", "s1"],
    ]


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the shared seeds are not beside this checkout")
def test_the_seed_notes_fields_in_a_query(build_site: BuildSite) -> None:
    index = "```dataview\nTABLE dates, source, file.etags FROM #on/china SORT file.name\n```\n"
    site = build_site({**seed_files(), "Queries.md": index}, strict=False)
    assert site.returncode == 0, site.log
    rows = site.article("Queries.md").css("table[data-ns-sortable] tbody tr")
    first = rows[0].css("td")
    assert first[0].text() == "001_ba8902ac82c605ac"  # (the file's name: no title property)
    assert first[1].text() == "January 27, 2022"
    assert first[2].css_first(".ns-unresolved").text() == "wang2021china China’s Sputnik Moment"
    assert [a.text() for a in first[3].css("a.ns-tag")][:2] == ["#on/china", "#on/fp"]


def test_an_embedded_note_shows_its_queries_as_on_its_own_page(build_site: BuildSite) -> None:
    site = build_site(
        {
            **PAPERS,
            "Part.md": "Links to [[Alpha]].\n\n```dataview\nLIST FROM outgoing([[]])\n```\n\n"
            "```dataview\nLIST WHERE (\n```\n",
            "Host.md": "Links to [[Beta]].\n\n![[Part]]\n",
        }
    )
    assert site.returncode == 0, site.log
    assert site.warnings() == [
        "WARNING -  notesite: Part.md:7: Dataview query: the query ends too early"
    ]
    for page in ("Part.md", "Host.md"):
        article = site.article(page)
        assert [li.text() for li in article.css("ul.ns-query-list li")] == ["Alpha"], page
        assert len(article.css(".ns-query-error")) == 1
