"""Records in a list, written by hand (the same work as records.pseudo): a dataclass."""

from dataclasses import dataclass


@dataclass
class Pupil:
    name: str = ""
    mark: int = 0


SIZE = 500
pupils = [Pupil() for _ in range(SIZE)]
total = 0
best_name = ""
for lap in range(1, 401):
    for i in range(SIZE):
        pupils[i].name = "P" + str(i + 1)
        pupils[i].mark = ((i + 1) * 37 + lap) % 101
    best = 0
    for i in range(1, SIZE):
        if pupils[i].mark > pupils[best].mark:
            best = i
        total = total + pupils[i].mark
    best_name = pupils[best].name
print(best_name, " ", total, sep="")
