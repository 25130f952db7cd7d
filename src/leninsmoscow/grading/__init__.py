"""Grading the course's nbgrader assignments so that the score can be trusted.

- :mod:`.form` holds the visible checks students run with nbgrader's Validate:
  they look at the shape of an answer and say in plain words what is wrong.
- :mod:`.referee` holds the hidden checks: they decide correctness without
  trusting anything the student's code could have changed, and confirm each
  passed test with a receipt.
- :mod:`.preprocessors` plugs into nbgrader: no receipt, no points; and no
  hidden test, hidden traceback or hidden value in the feedback.
"""
