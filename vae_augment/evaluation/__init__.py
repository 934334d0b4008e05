"""How good the rows are: quality scores against real rows, and plots."""
