"""Data Docs pages that render whole with no network and request nothing outside the site.

Great Expectations 1.x pages load Bootstrap, jQuery, bootstrap-table, Font Awesome and Vega from
CDNs, draw the index's lists with those scripts (offline, the index lists nothing), and fetch
the logo from a remote server with the data context id in its address. Its renderers are kept;
these views put dyadflow's templates (``data_docs/``) ahead of GX's: a page frame that inlines a
small stylesheet and script of its own, the logo and favicon from the site's static folder, and
the index's lists written out as HTML tables. ``site.configure`` names them in the site config,
as GX's site builder allows for any section and the index.
"""

from __future__ import annotations

import re
from pathlib import Path

from great_expectations.render import RenderedContent
from great_expectations.render.view import DefaultJinjaIndexPageView, DefaultJinjaPageView
from jinja2 import ChoiceLoader, FileSystemLoader, pass_context
from markupsafe import Markup, escape

TEMPLATES = Path(__file__).parent / "data_docs"

# A CSS url() that leaves the site: GX's default styles draw a remote logo in dark mode.
_REMOTE_URL = re.compile(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", re.IGNORECASE)


class _Offline:
    """Shared by both views: dyadflow's templates first, and the helpers they use."""

    env: object

    def _go_offline(self) -> None:
        env = self.env
        env.loader = ChoiceLoader([FileSystemLoader(str(TEMPLATES)), env.loader])
        env.globals["gx_default_styles"] = self._default_styles
        env.filters["static_table_rows"] = self._static_table_rows

    def _default_styles(self) -> Markup:
        source, _, _ = self.env.loader.get_source(self.env, "data_docs_default_styles.css")
        return Markup(_REMOTE_URL.sub("none", source))

    @pass_context
    def _static_table_rows(self, jinja_context, content_block) -> list[list[Markup]]:
        """The cells of a bootstrap-table block, as its script would have shown them: sorted
        by the table's sort column, each plain cell a link to the row's page."""
        columns = content_block["table_columns"]
        options = content_block.get("table_options") or {}
        rows = list(content_block["table_data"])
        wanted = options.get("sortName")
        if wanted:
            column = next((c for c in columns if c.get("field") == wanted), {})
            key = column.get("sortName") or wanted
            known = [r for r in rows if r.get(key) is not None]
            known.sort(key=lambda r: r[key], reverse=options.get("sortOrder") == "desc")
            rows = known + [r for r in rows if r.get(key) is None]
        return [[self._cell(jinja_context, row, c["field"]) for c in columns] for row in rows]

    def _cell(self, jinja_context, row: dict, field: str) -> Markup:
        value = row.get(field)
        if isinstance(value, RenderedContent | dict):
            cell = Markup(self.render_content_block(jinja_context, value))
        else:
            cell = escape("" if value is None else value)
            link = row.get("_table_row_link_path")
            if link and cell:
                cell = Markup('<a href="{}">{}</a>').format(link, cell)
        # The status column is an icon alone; its words are in the row for the filter.
        text = row.get(f"_{field}_text")
        return cell + Markup(" ") + text if text else cell


class OfflinePageView(_Offline, DefaultJinjaPageView):
    """Validation result and expectation suite pages."""

    def __init__(self, custom_styles_directory=None, custom_views_directory=None) -> None:
        super().__init__(custom_styles_directory, custom_views_directory)
        self._go_offline()


class OfflineIndexPageView(_Offline, DefaultJinjaIndexPageView):
    """The site's index."""

    def __init__(self, custom_styles_directory=None, custom_views_directory=None) -> None:
        super().__init__(custom_styles_directory, custom_views_directory)
        self._go_offline()
