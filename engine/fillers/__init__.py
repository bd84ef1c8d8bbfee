"""Fill rendered forms with programs nobody here wrote, as a person would.

These are test and demo tools: LibreOffice types into .docx content controls through
its UNO API, pdftk-java and pdfium fill PDF forms. Each takes a record and produces a
filled copy of a blank form.
"""
