"""The editors' manuscript in Word (``build -f docx``): the book's text in chapter order, written by
pandoc's DOCX writer with a reference document in the style's spirit (``reference``), each paragraph of a
post carrying a hidden bookmark that names its post and line (``backend``), so that ``blog2book
corrections edited.docx`` (roundtrip/docxmarks.py) maps Word's tracked changes and comments back to the posts.
"""
