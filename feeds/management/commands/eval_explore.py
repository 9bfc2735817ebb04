"""`manage.py eval_explore`: recall@k and NDCG@k of Explore against popularity and random baselines."""

from django.core.management.base import BaseCommand

from feeds.evaluation import METHODS, evaluate
from feeds.world import load_world


class Command(BaseCommand):
    help = "Hold out each user's latest interactions, rank Explore without them, and report recall@k and NDCG@k."

    def add_arguments(self, parser):
        parser.add_argument("--k", type=int, default=20)
        parser.add_argument("--holdout", type=float, default=0.2, help="share of each user's interactions held out")
        parser.add_argument("--seed", type=int, default=0, help="seed of the random baseline")

    def handle(self, *args, **options):
        k = options["k"]
        self.stderr.write("loading interactions...")
        world = load_world()
        self.stderr.write(f"{world.n_items} candidate notes, {len(world.act_users)} interactions; ranking...")
        result = evaluate(world, k=k, fraction=options["holdout"], seed=options["seed"])
        self.stdout.write(f"users evaluated: {result['users']}")
        self.stdout.write(f"{'method':<12}{'recall@' + str(k):>12}{'NDCG@' + str(k):>12}")
        for name in METHODS:
            self.stdout.write(f"{name:<12}{result[name]['recall']:>12.4f}{result[name]['ndcg']:>12.4f}")
        for baseline in ("popularity", "recent"):
            recall = result[baseline]["recall"]
            ratio = result["explore"]["recall"] / recall if recall else float("inf")
            self.stdout.write(f"explore / {baseline} recall@{k}: {ratio:.2f}x")
