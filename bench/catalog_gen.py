"""A synthetic county catalog with realistic Chinese text lengths, deterministic by seed.

Sentences come from the seed documents (real government prose); names combine real
category words so that pinyin and substring searches meet realistic collisions.
"""

from __future__ import annotations

import functools
import random
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text

from kiosk.catalog import search_index
from kiosk.catalog.elements import DISCLOSURE_TYPES, ITEM_TYPES, PILOT_DOMAINS
from kiosk.catalog.models import Item
from kiosk.catalog.services import search_forms
from kiosk.db import Database, utcnow
from kiosk.migrate import upgrade

# shared/seeds beside the checkout, or beside the folder of its git worktrees; without them
# every item's content is FALLBACK_SENTENCE.
SEEDS = next(
    (
        folder / "shared" / "seeds"
        for folder in Path(__file__).resolve().parents[2:]
        if (folder / "shared" / "seeds").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "seeds",
)
CATEGORIES = {
    "就业创业": ["就业服务", "创业扶持", "职业培训", "劳动关系"],
    "社会救助": ["最低生活保障", "特困人员供养", "临时救助", "医疗救助"],
    "社会保险": ["养老保险", "医疗保险", "失业保险", "工伤保险"],
    "户籍管理": ["户口登记", "户口迁移", "居民身份证", "居住证"],
    "医疗卫生": ["公共卫生", "家庭医生", "预防接种", "医疗机构"],
    "涉农补贴": ["耕地地力保护补贴", "农机购置补贴", "生态补偿", "种粮补贴"],
    "城市综合执法": ["市容管理", "违法建设", "占道经营", "环境卫生"],
    "养老服务": ["高龄津贴", "养老机构", "居家养老", "老年优待"],
}
ACTIONS = [
    "申请",
    "认定",
    "发放标准",
    "办理指南",
    "名单公示",
    "资金发放",
    "政策解读",
    "审核",
    "变更登记",
    "注销",
    "年度复核",
    "投诉举报",
]
FALLBACK_SENTENCE = "申请人持本人身份证、户口簿到便民服务中心窗口办理，承诺时限为十个工作日。"


@functools.cache  # read once, however many counties a province has
def seed_sentences() -> list[str]:
    sentences: list[str] = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = re.sub(r"\s+", "", path.read_text(encoding="utf-8"))
        sentences += [s + "。" for s in text.split("。") if 15 <= len(s) <= 160]
    return sentences or [FALLBACK_SENTENCE]


def regions(townships: int, villages_per_township: int, county: str) -> list[str]:
    paths = [county]
    for t in range(1, townships + 1):
        township = f"{county}/第{t}镇"
        paths.append(township)
        paths += [f"{township}/第{v}村" for v in range(1, villages_per_township + 1)]
    return paths


def items(
    count: int,
    county: str = "基准县",
    seed: int = 7,
    townships: int = 12,
    villages_per_township: int = 8,
) -> Iterator[dict[str, str]]:
    rng = random.Random(seed)
    sentences = seed_sentences()
    paths = regions(townships, villages_per_township, county)
    at_depth = {depth: [p for p in paths if p.count("/") + 1 == depth] for depth in (2, 3)}
    levels = {1: "县级", 2: "乡级", 3: "村级"}
    for number in range(count):
        domain = PILOT_DOMAINS[number % len(PILOT_DOMAINS)]
        category1 = rng.choice(CATEGORIES[domain])
        # Roughly half county items, a third township, the rest village.
        depth = rng.choices((1, 2, 3), weights=(50, 33, 17))[0]
        region = rng.choice(at_depth[depth]) if depth > 1 else county
        content = "".join(rng.choice(sentences) for _ in range(rng.randint(1, 6)))
        yield {
            "code": f"{county}-{number:07d}",
            "disclosure_type": rng.choice(DISCLOSURE_TYPES),
            "domain": domain,
            "category1": category1,
            "category2": f"{category1}{rng.choice(ACTIONS)}",
            "name": f"{category1}{rng.choice(ACTIONS)}（第{number}号）",
            "content": content,
            "basis": "《中华人民共和国政府信息公开条例》第十九条",
            "publisher": f"{county}人民政府办公室",
            "time_limit": "信息形成之日起20个工作日内",
            "channels": "政府网站、实体大厅、触摸屏",
            "audience": "个人",
            "disclosure_form": "主动公开",
            "presentation": "图文",
            "status": rng.choices(("已公开", "部分公开", "待公开"), weights=(85, 10, 5))[0],
            "service_category": "便民服务",
            "item_type": rng.choice(ITEM_TYPES),
            "remarks": "",
            "level": levels[depth],
            "region": region,
            "online_url": "" if number % 3 else f"https://zwfw.example.gov.cn/item/{number}",
        }


def province_items(
    counties: int = 100, per_county: int = 10_000, seed: int = 7
) -> Iterator[dict[str, str]]:
    """A province: county after county, each with its own 8-20 townships of 5-15 villages.

    Streamed: only the item being made is held, whatever the number of counties.
    """
    rng = random.Random(seed)
    for number in range(1, counties + 1):
        yield from items(
            per_county,
            county=f"第{number}县",
            seed=rng.randrange(2**32),
            townships=rng.randint(8, 20),
            villages_per_township=rng.randint(5, 15),
        )


def load(url: str, count: int, **options: Any) -> float:
    """Migrate an empty database and fill it with `count` items; returns seconds taken.

    Much faster than the catalog services, with the same result for what is read later:
    the search index is rebuilt, and the change feed numbers the items exactly as the
    0003 migration numbers items that predate it (in insertion order). Audit entries are
    not written.
    """
    started = time.perf_counter()
    database = Database(url)
    upgrade(database.engine)
    now = utcnow()
    rows = [
        dict(values, **search_forms(values), changed_at=now) for values in items(count, **options)
    ]
    with database.session() as session:
        if session.scalar(select(func.count(Item.id))):
            raise RuntimeError("bench catalogs load into an empty database only")
        for start in range(0, len(rows), 2000):
            session.execute(insert(Item), rows[start : start + 2000])
        session.execute(
            text(
                "INSERT INTO catalog_change (code, seq) "
                "SELECT code, ROW_NUMBER() OVER (ORDER BY id) FROM catalog_item"
            )
        )
        session.execute(
            text(
                "UPDATE catalog_sequence SET seq = (SELECT COUNT(*) FROM catalog_item) WHERE id = 1"
            )
        )
        search_index.rebuild(session.connection())  # the bulk insert bypassed the ORM
    database.dispose()
    return time.perf_counter() - started
