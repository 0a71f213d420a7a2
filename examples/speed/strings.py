"""Strings, written by hand (the same work as strings.pseudo)."""

vowels = 0
text = ""
for lap in range(1, 201):
    text = ""
    for i in range(1, 401):
        text = text + chr(97 + (i * lap) % 26)
    reversed_text = ""
    for i in range(1, len(text) + 1):
        letter = text[i - 1:i]
        if letter == "a" or letter == "e" or letter == "i" or letter == "o" or letter == "u":
            vowels = vowels + 1
        reversed_text = letter + reversed_text
    text = reversed_text.upper()
print(vowels, " ", text[:10], sep="")
