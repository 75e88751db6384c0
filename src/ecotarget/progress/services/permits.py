"""The progress services' side of the access policy: who is acting, asked of `organisation.access`, and the
refusal each action gives when the policy says no."""

from django.contrib.auth.models import AbstractBaseUser

from ecotarget.organisation.access import may_oversee, may_report, may_review, member_of

from ..errors import ProgressError


def require_reporter(user: AbstractBaseUser, unit_id: int, refusal: str = "只能填报本单位的任务") -> None:
    membership = member_of(user)
    if membership is None or not membership.is_reporter:
        raise ProgressError("只有本单位填报员可以进行此操作")
    if not may_report(membership, unit_id):
        raise ProgressError(refusal)


def require_reviewer(user: AbstractBaseUser, region_id: int, action: str = "审核") -> None:
    if not may_review(member_of(user), region_id):
        raise ProgressError(f"只有本行政区的管理员（督查）可以{action}")


def require_overseer(user: AbstractBaseUser, region_id: int) -> None:
    membership = member_of(user)
    if membership is None or not may_oversee(membership, membership.region_id):
        raise ProgressError("只有领导可以关注任务或作出批示")
    if not may_oversee(membership, region_id):
        raise ProgressError("只能对本行政区的任务作出批示")
