from tests.moderation.conftest import moderator, moderators_group  # noqa: F401  (fixtures)
