"""What an uploaded file costs to read, checked before any parser sees it (pure Python, no Django): the
uncompressed size of zip packages (.docx, .xlsx) and the encoding of text files."""
