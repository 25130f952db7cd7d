# Leave a file in the course folder, outside the scratch folder.
with open("$course/written-by-student.txt", "w") as note:
    note.write("I was here")
answer = 42
