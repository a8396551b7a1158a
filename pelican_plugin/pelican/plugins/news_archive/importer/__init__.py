"""The ``news-archive import`` command: raw news (plain text, HTML pages, JSONL exports) to Pelican Markdown.

Raw news arrives with scraping furniture ("Related news:", comment forms, wire sign-offs), bylines glued into
the text and headlines or dates missing. The importer removes the furniture, records datelines and outlets as
metadata and writes one Markdown file per article whose body renders to exactly the original article text: it
never invents a fact (a missing date stays unknown unless the text states it; a derived title is marked so).
"""
