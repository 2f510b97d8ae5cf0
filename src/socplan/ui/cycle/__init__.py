"""«Сдача отчётности»: the completeness and timeliness board, «Что сдать», choosing the user at start."""
