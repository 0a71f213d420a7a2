"""Bubble sort of 3,000 integers, written by hand (the same work as sort.pseudo)."""

N = 3000
numbers = [0] * N
seed = 12345
for i in range(N):
    seed = (seed * 1103 + 12347) % 65536
    numbers[i] = seed % 10000
for i in range(1, N):
    for j in range(N - i):
        if numbers[j] > numbers[j + 1]:
            temp = numbers[j]
            numbers[j] = numbers[j + 1]
            numbers[j + 1] = temp
print(numbers[0], " ", numbers[N // 2 - 1], " ", numbers[N - 1], sep="")
