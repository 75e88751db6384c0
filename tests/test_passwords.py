"""Every user changes its own password; a coordinator resets a member's of its region (the old password stops at
once and a one-time link lets the member choose a new one); where mail is set up, a member resets by mail. Each is
in the action log, and no password ever is."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client
from django.urls import reverse

from ecotarget.core.models import Action
from ecotarget.organisation.models import Membership


def logs_in(username: str, password: str) -> bool:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": password})
    return client.session.get("_auth_user_id") is not None


def test_every_user_changes_its_own_password_from_the_header(personas, client_for):
    for user in [personas.coordinator, personas.zhujian, personas.leader, personas.nobody]:
        page = BeautifulSoup(client_for(user).get(reverse("plans:list")).content, "html.parser")
        if user is not personas.nobody:
            assert page.select_one(f"header a[href='{reverse('organisation:password_change')}']")
    client = client_for(personas.zhujian)
    url = reverse("organisation:password_change")
    assert client.get(url).status_code == 200
    fields = {"new_password1": "绿水青山-2022", "new_password2": "绿水青山-2022"}
    response = client.post(url, {"old_password": "wrong", **fields})
    assert response.status_code == 200 and logs_in("wang", "pw-wang")
    response = client.post(url, {"old_password": "pw-wang", **fields})
    assert response.status_code == 302
    assert client.get(reverse("plans:list")).status_code == 200  # still logged in
    assert logs_in("wang", "绿水青山-2022") and not logs_in("wang", "pw-wang")
    action = Action.objects.get(verb="account.password_change")
    assert action.actor == personas.zhujian and "绿水青山" not in str(action.changes) + action.summary


def test_a_user_without_a_role_changes_its_password_too(personas, client_for):
    client = client_for(personas.nobody)
    fields = {"old_password": "pw-nobody", "new_password1": "绿水青山-2022", "new_password2": "绿水青山-2022"}
    assert client.post(reverse("organisation:password_change"), fields).status_code == 302
    assert logs_in("nobody", "绿水青山-2022")


def test_a_weak_password_is_refused(personas, client_for):
    fields = {"old_password": "pw-wang", "new_password1": "123", "new_password2": "123"}
    response = client_for(personas.zhujian).post(reverse("organisation:password_change"), fields)
    assert response.status_code == 200 and logs_in("wang", "pw-wang")


def reset(client: Client, user) -> str:
    """The coordinator resets `user`'s password on the accounts page; the link shown once."""
    member = Membership.objects.get(user=user)
    response = client.post(reverse("organisation:accounts"), {"member": member.pk})
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one("input.reset-link")["value"]


def set_password(link: str, password: str) -> Client:
    client = Client()
    response = client.get(link)  # Django moves the token into the session and redirects to …/set-password/
    assert response.status_code == 302
    form = client.get(response["Location"])
    assert "设置新密码" in form.content.decode()
    response = client.post(response["Location"], {"new_password1": password, "new_password2": password})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    return client


def test_the_coordinator_resets_a_members_password_with_a_one_time_link(personas, client_for, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        logs_in("wang", "wrong")  # locked out, which is why the member asked
    coordinator = client_for(personas.coordinator)
    accounts = coordinator.get(reverse("organisation:accounts")).content.decode()
    assert "王填报" in accounts and "外县管理员" not in accounts

    link = reset(coordinator, personas.zhujian)
    assert link.startswith("http://testserver/organisation/password/set/")
    assert not logs_in("wang", "pw-wang")  # the old password stopped at once
    assert Action.objects.filter(verb="account.password_reset", actor=personas.coordinator).count() == 1

    set_password(link, "绿水青山-2022")
    assert logs_in("wang", "绿水青山-2022")  # and the lock is lifted
    assert Action.objects.filter(verb="account.password_change", actor=personas.zhujian).count() == 1
    # The link is spent.
    response = Client().get(link, follow=True)
    assert "此链接已失效" in response.content.decode()


def test_the_reset_link_expires(personas, client_for, settings):
    import time_machine

    link = reset(client_for(personas.coordinator), personas.leader)
    with time_machine.travel(timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)):
        assert "此链接已失效" in Client().get(link, follow=True).content.decode()


@pytest.mark.parametrize("persona", ["zhujian", "leader", "outsider"])
def test_only_the_regions_coordinator_resets_its_members_passwords(personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    member = Membership.objects.get(user=personas.guyong)
    response = client.post(reverse("organisation:accounts"), {"member": member.pk})
    assert response.status_code == (404 if persona == "outsider" else 403)
    assert logs_in("chen", "pw-chen")
    assert not Action.objects.filter(verb="account.password_reset").exists()


def test_a_coordinator_changes_its_own_password_rather_than_resetting_it(personas, client_for):
    client = client_for(personas.coordinator)
    member = Membership.objects.get(user=personas.coordinator)
    assert client.post(reverse("organisation:accounts"), {"member": member.pk}).status_code == 403
    assert client.post(reverse("organisation:accounts"), {"member": "1 OR 1"}).status_code == 404
    assert logs_in("lin", "pw-lin")


def test_reset_by_mail_only_where_mail_is_set_up(personas, settings):
    settings.ECOTARGET_PASSWORD_RESET_BY_MAIL = False
    assert Client().get(reverse("organisation:password_forgot")).status_code == 404
    assert "忘记密码？" not in Client().get(reverse("login")).content.decode()

    settings.ECOTARGET_PASSWORD_RESET_BY_MAIL = True
    personas.zhujian.email = "wang@example.cn"
    personas.zhujian.save()
    assert "忘记密码？" in Client().get(reverse("login")).content.decode()
    response = Client().post(reverse("organisation:password_forgot"), {"email": "wang@example.cn"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["wang@example.cn"] and "设置新密码" in message.subject
    link = next(line for line in message.body.splitlines() if "/organisation/password/set/" in line)
    set_password(link.strip(), "绿水青山-2022")
    assert logs_in("wang", "绿水青山-2022")
    assert Action.objects.filter(verb="account.password_change", actor=personas.zhujian).exists()
