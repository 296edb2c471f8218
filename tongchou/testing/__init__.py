"""Helpers for the browser tests of every app: a same-origin crawler (`crawl`), axe-core checks
(`axe`), the demo data the crawl walks through (`site`). Importable from any app's tests:
``from tongchou.testing.crawl import crawl``."""
