"""The editor's round trip: corrections marked on a proof come back to the posts, located.

* ``sourcemap``: what a blog2book PDF carries of its sources (the build id, each page's text lines
  with their boxes and the post file and line of their paragraph), embedded in the PDF;
* ``locate``: text as the book prints it matched with the post's Markdown (the typography the build
  added, the markup the book does not print, hyphenation and ligatures folded away);
* ``marks``: the marks (``Mark``) an editor left; ``pdfmarks`` reads them from an annotated PDF
  (a DOCX reader would make the same marks);
* ``apply``: each mark found in its post again (or a conflict), the edits made or written as a patch;
* ``report``: the list printed and the report written (Markdown or HTML).

This package reads PDFs with pypdf and never imports the back ends: ``render/pdf`` writes the map
with ``sourcemap``'s format.
"""
