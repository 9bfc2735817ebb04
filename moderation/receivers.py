"""moderation's answers to what lower apps announce (connected in ModerationConfig.ready)."""

from moderation import services


def screen_text(sender, *, text: str, **kwargs) -> bool:
    return services.check_spam(text)  # raises Invalid on a "reject" keyword


def hold(sender, *, target_type: str, target, **kwargs) -> None:
    services.hold_for_review(target_type=target_type, target=target)
