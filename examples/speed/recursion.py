"""Recursion, written by hand (the same work as recursion.pseudo)."""


def fib(n: int) -> int:
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)


def factorial(n: int) -> int:
    if n == 0:
        return 1
    return n * factorial(n - 1)


print(fib(28), " ", factorial(20), sep="")
