"""nbgrader settings for the course's student image on Zero to JupyterHub (classroom/DEPLOY_Z2JH.md).

Untested on a cluster (there is none here); it follows ngshare_exchange's documented set-up. In a pod
every Unix user is 'jovyan', so the student id must come from the hub user.
"""
import os

from ngshare_exchange import configureExchange

c = get_config()  # noqa: F821 - provided by nbgrader
c.CourseDirectory.course_id = "nqpf-course"
_instructors = {u.strip() for u in os.environ.get("NQPF_INSTRUCTORS", "").split(",") if u.strip()}
_user = os.environ.get("JUPYTERHUB_USER", "")
if _user and _user not in _instructors:
    c.CourseDirectory.student_id = _user
configureExchange(c, "http://ngshare.default.svc.cluster.local:8080/services/ngshare")
