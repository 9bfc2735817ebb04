from tests.moderation.conftest import moderator  # noqa: F401  (a staff user in the Moderators group)
