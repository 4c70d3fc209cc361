"""The formula-injection strings of issue point 2, shared by the writer's tests and the every-export test."""

EVIL = (
    '=HYPERLINK("http://x","click")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
)
