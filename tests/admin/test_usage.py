"""Managers see what residents searched for without result, their ratings and questions."""

from kiosk.usage.services import record_question, record_rating, record_search


def test_usage_page_lists_unfound_searches_ratings_and_questions(app, client, make_user, auth):
    with app.extensions["kiosk_db"].session() as session:
        for query, hits in (("火星", 0), ("火星", 0), ("低保", 7), ("<b>x</b>", 0)):
            record_search(session, query, hits)
        record_rating(session, "D1", "不满意")
        record_question(session, "D1", "希望工作人员联系我", "13800138000")
    make_user("viewer1", role="viewer")
    auth.login("viewer1")
    page = client.get("/admin/usage/").get_data(as_text=True)
    unfound = page.split('id="unfound-title"')[1].split("</table>")[0]
    assert unfound.count("<td>火星</td>") == 1 and "低保" not in unfound
    assert "&lt;b&gt;x&lt;/b&gt;" in unfound
    assert "不满意：1" in page and "13800138000" in page


def test_usage_page_needs_sign_in(client):
    assert client.get("/admin/usage/").status_code == 302
