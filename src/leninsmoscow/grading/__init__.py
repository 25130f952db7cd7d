"""Grading the course's nbgrader assignments so that the score can be trusted.

- :mod:`.pipeline` names the autograding and feedback steps, once, for
  ``nbgrader_config.py`` and the course's commands;
- :mod:`.hidden` says what a hidden test may hold and which of its lines are secret;
- :mod:`.form` holds the visible checks students run with nbgrader's Validate:
  they look at the shape of an answer and say in plain words what is wrong;
- :mod:`.referee` holds the comparison behind the hidden checks, which no
  student code can talk round;
- :mod:`.preprocessors` plugs into nbgrader: hidden tests judged by the grader,
  whose verdict alone scores, and feedback without hidden tests;
- :mod:`.inert` makes student content inert in the graded notebook, so the
  formgrader and the feedback pages run none of it.
"""
