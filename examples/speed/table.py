"""A 2-D table, written by hand (the same work as table.pseudo): a list of lists."""

ROWS = 60
COLS = 60
table = [[0] * COLS for _ in range(ROWS)]
row_sum = [0] * ROWS
col_sum = [0] * COLS
total = 0
for lap in range(1, 41):
    for r in range(ROWS):
        for c in range(COLS):
            table[r][c] = ((r + 1) * (c + 1) + lap) % 97
    for r in range(ROWS):
        row_sum[r] = 0
        for c in range(COLS):
            row_sum[r] = row_sum[r] + table[r][c]
            col_sum[c] = col_sum[c] + table[r][c]
        total = total + row_sum[r]
print(total, " ", row_sum[ROWS - 1], " ", col_sum[0], sep="")
