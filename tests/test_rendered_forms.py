"""The form reader sends what a browser sends, so that the walk's verdicts are a browser's."""

from rendered_forms import errors_in, forms_in, the_form

PAGE = """<html><body>
<form method="post" action="/save/">
  <input type="hidden" name="version" value="3">
  <input name="title" value="标题">
  <input type="checkbox" name="kept" checked><input type="checkbox" name="dropped" value="1">
  <input type="radio" name="progress" value="a"><input type="radio" name="progress" value="b" checked>
  <select name="op"><option value="<=">不高于</option><option value=">=">不低于</option></select>
  <select name="base"><option value="">—</option><option value="p" selected>上年</option></select>
  <textarea name="note">
第一行</textarea>
  <input type="date" name="due" required>
  <input type="file" name="photo">
  <input name="off" value="x" disabled>
  <button name="action" value="save">保存</button><button name="action" value="submit">报送</button>
</form>
<form hx-post="/card/" hx-target="#card-1"><button>发送</button></form>
</body></html>"""


def test_a_form_is_sent_as_a_browser_sends_it():
    form = the_form(PAGE, "/page/", "/save/")
    assert form.submission() == [
        ("version", "3"),
        ("title", "标题"),
        ("kept", "on"),
        ("progress", "b"),
        ("op", "<="),
        ("base", "p"),
        ("note", "第一行"),
        ("due", "2022-07-01"),
        ("action", "save"),
    ]
    assert form.filled == ["due"]
    assert form.submission(form.buttons[1])[-1] == ("action", "submit")


def test_an_htmx_form_goes_where_hx_post_says():
    (_, card) = forms_in(PAGE, "/page/")
    assert (card.method, card.path, card.htmx, card.hx_target) == ("post", "/card/", True, "#card-1")


def test_errors_are_found_in_field_lists_alerts_and_error_messages():
    page = """<ul class="errorlist"><li>必填</li></ul><p role="alert">报送前请填写工作进展</p>
    <ul class="messages"><li class="error">请选择</li><li class="success">已保存</li></ul>"""
    assert errors_in(page) == ["必填", "报送前请填写工作进展", "请选择"]


BATCH = """<html><body>
<article><input type="checkbox" name="report" value="7:2" form="batch"> 任务 12</article>
<article><input type="checkbox" name="report" value="9:1" form="batch"> 任务 14</article>
<input name="elsewhere" value="not sent">
<form id="batch" method="post" action="/batch/"><input name="comment" value="">
  <label><input type="checkbox" name="early" value="1" required> 确认</label><button>审核通过</button></form>
</body></html>"""


def test_controls_outside_the_form_that_name_it_are_sent_and_a_person_ticks_a_row_and_a_required_box():
    form = the_form(BATCH, "/page/", "/batch/")
    assert form.submission() == [("comment", ""), ("early", "1"), ("report", "7:2")]
    assert form.filled == ["early", "report"]
