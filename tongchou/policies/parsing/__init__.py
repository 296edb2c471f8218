"""Pure, framework-free policy document parser (no Django imports).

Pipeline: bytes --decoding--> text --normalise--> clean Simplified text + offset map
--metadata/structure/quantities/topics--> ParsedDocument (JSON contract of `tongchou parse`).
"""

from .document import ParsedDocument, parse_bytes, parse_file, parse_text
from .errors import ParseError

__all__ = ["ParseError", "ParsedDocument", "parse_bytes", "parse_file", "parse_text"]
