"""blog2book: compile books from blog posts."""

__version__ = "0.1.0"
