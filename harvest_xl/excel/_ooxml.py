"""The OOXML package vocabulary that reading and carrying parts share.

Part and namespace names, the content types of a workbook's main part, and the XML parser used
for the package index and relationships (defusedxml when installed). Private to
:mod:`harvest_xl.excel.safe_read` and :mod:`harvest_xl.excel.unowned_parts`.
"""

from __future__ import annotations

from xml.etree import ElementTree

__all__ = ["CONTENT_TYPES", "CT_NS", "MACRO_TYPES", "REL_NS", "WORKBOOK_TYPES", "xml_fromstring"]

try:  # defusedxml is a runtime dependency; safe_read's DOCTYPE scan does not rely on it.
    from defusedxml.ElementTree import fromstring as xml_fromstring
except ImportError:  # pragma: no cover - exercised only without defusedxml installed
    xml_fromstring = ElementTree.fromstring

CONTENT_TYPES = "[Content_Types].xml"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_TEMPLATE_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml"
_XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
_XLTM_MAIN = "application/vnd.ms-excel.template.macroEnabled.main+xml"
WORKBOOK_TYPES = (_SHEET_MAIN, _TEMPLATE_MAIN, _XLSM_MAIN, _XLTM_MAIN)
MACRO_TYPES = (_XLSM_MAIN, _XLTM_MAIN)
