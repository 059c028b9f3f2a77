"""The site's date formats, one per language (FORMAT_MODULE_PATH): every page shows dates the same way.

Templates use the named formats (`date:"DATE_FORMAT"`, `date:"DATETIME_FORMAT"`), never a pattern of their own;
the short forms of lists and badges (`SHORT_MOMENT_FORMAT`…) through `{% load moments %}` and `|short_date`.
"""
