"""依申请公开: government-information disclosure applications (政府信息公开条例 2019).

Hall (`hall.py`): the guided form's application, a receipt number, sent up through the
outbox; the identity number is scrubbed from the hall once the centre holds it. Centre
(`centre.py`, `clock.py`): the register with the statutory clock and the outcomes the
regulation names; identity numbers encrypted at rest (`identity.py`).
"""
