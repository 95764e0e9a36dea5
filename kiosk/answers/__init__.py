"""群众咨询: residents' questions answered at the centre and brought back to the halls.

Centre (`centre.py`): the queue of questions the halls sent up, answers through review,
and the answers each hall's feed carries. Hall (`hall.py`): the reply code given when
asking, the answers received, and the lookup by reply code.
"""
