"""考核: the centre's assessment report per 公开主体 (department) and per domain for a month
or a quarter, from what the halls sent up (views, searches, ratings, questions) and from
the answers and applications at the centre."""
