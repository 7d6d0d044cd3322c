"""nbgrader settings shared by every server of the class and by the instructor's exchange commands.

The hub puts this folder on JUPYTER_CONFIG_PATH for every student server (classroom/jupyterhub_config.py);
``classroom.py release|collect|return-feedback`` do the same for the instructor. Grading itself runs
with ``exercises/grade.py`` and the course root's own ``nbgrader_config.py``, unchanged.
"""
import importlib.util
import os

c = get_config()  # noqa: F821 - provided by nbgrader / jupyter_server when they load this file

# the course id of exercises/nbgrader_config.py: released, submitted and graded under one name
c.CourseDirectory.course_id = "nqpf-course"
if os.environ.get("NQPF_EXCHANGE"):
    c.Exchange.root = os.environ["NQPF_EXCHANGE"]

# The student id is the hub user. nbgrader would otherwise take the Unix user name (it reads
# JUPYTERHUB_USER only for the Unix user 'jovyan'); here they are the same on a root hub, but
# other spawners (containers: everyone is 'jovyan'; a non-root demo: everyone is one user) differ.
# Instructors keep no student id: with one, autograde and collect would see only that student.
_user = os.environ.get("JUPYTERHUB_USER", "")
_staff = {u.strip() for u in os.environ.get("NQPF_INSTRUCTORS", "").split(",") if u.strip()}
if _user and _user not in _staff:
    c.CourseDirectory.student_id = _user

# collect refuses a submission whose owner is not the student it names, or that holds a symlink
# (classroom/exchange.py); on a shared Unix account (non-root demo) only the symlink check applies.
_spec = importlib.util.spec_from_file_location(
    "nqpf_classroom_exchange", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "exchange.py"))
_mod = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_mod)
c.ExchangeFactory.collect = _mod.OwnerCheckedCollect
if os.environ.get("NQPF_OWNER_CHECK") == "0":  # every student shares one Unix account (non-root demo)
    c.OwnerCheckedCollect.require_owner = False
    c.ExchangeCollect.check_owner = False
