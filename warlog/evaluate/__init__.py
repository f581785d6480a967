"""Evaluation against gold files: quality is measured, not asserted."""
