# Hand in a link to the teacher's solution next to the notebook: nbgrader follows
# links when it copies a submission, so the graded folder would hold the solution.
with open("solution-copy.txt") as copy:
    answer = 42 if "answer = 42" in copy.read() else None
