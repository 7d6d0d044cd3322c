"""nbgrader's collect step, made strict about who submitted what (used via classroom/jupyter/nbgrader_config.py).

nbgrader names each submission in the exchange's ``inbound`` folder ``<student>+<assignment>+<time>+<random>``
and trusts the name: a student can submit under another student's id (``nbgrader submit
--CourseDirectory.student_id=other``), and the default collect only logs "cheating attempt?" and then
takes the newest submission, the forged one. A submission may also hold symbolic links, which collect
follows *as the instructor*: a link to the instructor's source would come back to the student as
"their" graded notebook and feedback.

:class:`OwnerCheckedCollect` removes both before nbgrader picks the newest submission per student:

* a submission whose Unix owner is not the student it names is refused (on a root JupyterHub each
  student's server runs as the Unix user of the same name, so the owner is the real submitter);
* a submission that contains a symbolic link, or anything but plain files and folders, is refused.

Refused submissions stay where they are in ``inbound`` (for the instructor to look at) and are listed
in ``refused_submissions.json`` in the course folder and in the log. The real student's own latest
submission is collected as usual.
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import stat
from collections import defaultdict

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.exchange.default.collect import ExchangeCollect
from traitlets import Bool

REFUSED_FILE = "refused_submissions.json"


def _owner(path: str) -> str:
    uid = os.lstat(path).st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid {uid}"


def submission_problem(path: str, student_id: str, require_owner: bool = True) -> str | None:
    """Why the submission at ``path`` (named for ``student_id``) must be refused, or None if it is fine."""
    if os.path.islink(path) or not os.path.isdir(path):
        return "not a plain folder"
    if require_owner and _owner(path) != student_id:
        return f"owned by {_owner(path)!r}, not by the student it names ({student_id!r})"
    for folder, dirs, files in os.walk(path):
        for name in dirs + files:
            full = os.path.join(folder, name)
            mode = os.lstat(full).st_mode
            if stat.S_ISLNK(mode):
                return f"contains a symbolic link ({os.path.relpath(full, path)} -> {os.readlink(full)})"
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                return f"contains a special file ({os.path.relpath(full, path)})"
            if require_owner and _owner(full) != student_id:
                return f"{os.path.relpath(full, path)} is owned by {_owner(full)!r}, not {student_id!r}"
    return None


class OwnerCheckedCollect(ExchangeCollect):
    """nbgrader's collect, minus forged and booby-trapped submissions (see the module docstring)."""

    require_owner = Bool(
        True, help="Refuse submissions not owned by the Unix user they name (off only when every "
                   "student shares one Unix account, as in a non-root demo).").tag(config=True)

    def init_src(self):
        if self.coursedir.course_id == "":
            self.fail("No course id specified. Re-run with --course flag.")
        self.course_path = os.path.join(self.root, self.coursedir.course_id)
        self.inbound_path = os.path.join(self.course_path, "inbound")
        if not os.path.isdir(self.inbound_path):
            self.fail(f"Course not found: {self.inbound_path}")
        if not os.access(self.inbound_path, os.R_OK | os.X_OK):
            self.fail(f"You don't have read permissions for the directory: {self.inbound_path}")
        student = self.coursedir.student_id if self.coursedir.student_id else "*"
        pattern = os.path.join(self.inbound_path, f"{student}+{self.coursedir.assignment_id}+*")
        accepted, refused = [], []
        for path in sorted(glob.glob(pattern)):
            rec = self._path_to_record(path)
            why = submission_problem(path, rec["username"], self.require_owner)
            if why is None:
                accepted.append(rec)
            else:
                refused.append({"submission": rec["filename"], "student_id": rec["username"], "why": why})
                self.log.error("Refused submission %s: %s", rec["filename"], why)
        self.refused = refused
        self._write_refused(refused)

        by_student = defaultdict(list)
        for rec in accepted:
            by_student[rec["username"]].append(rec)
        with Gradebook(self.coursedir.db_url, self.coursedir.course_id) as gb:
            try:
                self.duedate = gb.find_assignment(self.coursedir.assignment_id).duedate
            except MissingEntry:
                self.duedate = None
        self.src_records = []
        for recs in by_student.values():
            recs = self._sort_by_timestamp(recs)  # newest first
            if self.duedate is not None and self.before_duedate:
                on_time = [r for r in recs if r["timestamp"] <= self.duedate]
                recs = on_time or recs
            self.src_records.append(recs[0])

    def _write_refused(self, refused):
        path = os.path.join(self.coursedir.root, REFUSED_FILE)
        old = []
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                old = json.load(fh)
        known = {r["submission"] for r in old}
        merged = old + [r for r in refused if r["submission"] not in known]
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(merged, fh, indent=1)
