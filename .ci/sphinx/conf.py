"""Sphinx settings of the docs site. `python .ci/docs.py SITE_DIR` writes the pages' notebooks into _proc/docs and
builds them with these settings; the project's facts come from settings.ini, as everywhere else."""
import configparser
from pathlib import Path

_cfg = configparser.ConfigParser(delimiters=["="])
_cfg.read(Path(__file__).resolve().parents[2] / "settings.ini", encoding="utf-8")
_cfg = _cfg["DEFAULT"]

project = _cfg["title"]
author = _cfg["author"]
copyright = _cfg["copyright"]
release = version = _cfg["version"]

extensions = ["myst_nb", "sphinx.ext.githubpages",   # githubpages: a .nojekyll file, so that Pages serves _static/
              "sphinx-mathjax-offline"]   # MathJax served with the site, not from a CDN: the math renders offline
exclude_patterns = ["**.ipynb_checkpoints"]

# The notebooks' committed outputs are the documentation: never execute them again.
nb_execution_mode = "off"
nb_output_stderr = "remove"            # progress bars and warnings on stderr are not for readers
nb_render_markdown_format = "myst"     # show_doc's markdown (tables, code) is rendered like the page's own
nb_merge_streams = True
myst_all_links_external = True         # links between pages are written as page.html#anchor by docs.py
myst_enable_extensions = ["dollarmath", "attrs_inline"]   # attrs: the API entries' {.api-source} links
suppress_warnings = ["myst.header"]    # an API entry (###) may follow the H1 directly

html_theme = "sphinx_book_theme"
html_title = project
html_baseurl = _cfg["doc_host"] + _cfg["doc_baseurl"] + "/"
html_static_path = ["static"]
html_css_files = ["camseg.css"]
html_copy_source = False               # no _sources/: the notebooks are on GitHub
html_show_sourcelink = False
html_theme_options = {
    "repository_url": _cfg["git_url"],
    "repository_branch": _cfg["branch"],
    "use_repository_button": True,
    "use_download_button": False,
    "show_toc_level": 2,
    "navbar_persistent": [],           # the sidebar has the search field; no second one in a top bar
}
html_context = {"default_mode": "light"}   # without it the theme logs a console error on a first visit
