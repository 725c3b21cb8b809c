"""Class-scale grading around nbgrader: release generation, grading, reports."""

__version__ = "0.1.0"
