"""nbgrader configuration for the Deep Learning Foundations course.

Start JupyterLab (``make lab``) or any ``nbgrader`` command from this folder so
that nbgrader and formgrader find this file.
"""

import os
from pathlib import Path

c = get_config()  # noqa: F821  (injected by traitlets when nbgrader loads this file)

# The course root is the folder holding this file, wherever the repository is cloned.
COURSE_ROOT = Path(__file__).resolve().parent

c.CourseDirectory.root = str(COURSE_ROOT)
c.CourseDirectory.course_id = "dlcourse"
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
# Only notebooks and small data files belong to an assignment.
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]

# Gradebook: an SQLite file in the course root by default. Any SQLAlchemy URL
# works, e.g. a PostgreSQL server shared by several grading machines:
#   export DLCOURSE_DB_URL=postgresql://grader@db.example.org/dlcourse
c.CourseDirectory.db_url = os.environ.get(
    "DLCOURSE_DB_URL", f"sqlite:///{COURSE_ROOT / 'gradebook.db'}"
)

# Execution when validating and autograding: a cell that runs longer than this
# is stopped (seconds); the kernel gets a little longer to start.
c.Execute.timeout = 120
c.Execute.startup_timeout = 60

# What students see instead of the solutions.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ClearSolutions.enforce_metadata = True

# Released notebooks are stored without outputs.
c.ClearOutput.enabled = True
