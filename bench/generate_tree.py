"""The shape of the generated province (see :mod:`bench.generate`): its constants, the
organisation tree, valid ID-number regions and unique ID numbers."""

from datetime import date

YEARS = list(range(2015, 2026))
NUMBERED_SINCE = 2017
SLACK = 3  # numbers a committee holds beyond what its branches used
DEADLINE_SINCE = date(2019, 1, 1)
SPARES = 1  # spare numbers after each organisation's block (the demo uses 8)
STEP = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SURNAMES = "王李张刘陈杨黄吴林郑赵周徐孙朱马胡郭何高罗梁宋谢唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程魏苏吕丁任沈"
GIVEN = "晓明丽华志强雅婷建国心君子涵浩然欣怡宇轩梓萱俊杰诗雨嘉怡思远佳琪一鸣若曦天佑文博"


def step(n):
    """The 4-character path step of the n-th child (1-based), as treebeard writes it."""
    digits = []
    while n:
        n, rest = divmod(n, 36)
        digits.append(ALPHABET[rest])
    return "".join(reversed(digits)).rjust(STEP, "0")


class Tree:
    """Organisations as tuples, with paths, kinds and codes; children counted as they are added."""

    def __init__(self):
        self.rows = []  # dicts
        self.children = {}

    def add(self, parent, code, name, kind, sector, **extra):
        if parent is None:
            path, depth = step(1), 1
        else:
            self.children[parent["path"]] = self.children.get(parent["path"], 0) + 1
            path, depth = parent["path"] + step(self.children[parent["path"]]), parent["depth"] + 1
        row = {
            "id": len(self.rows) + 1,
            "path": path,
            "depth": depth,
            "code": code,
            "name": name,
            "kind": kind,
            "sector": sector,
            "school_code": extra.get("school_code", ""),
            "ownership": extra.get("ownership", ""),
            "graduation_date": extra.get("graduation_date"),
            "no_graduation_reason": extra.get("no_graduation_reason", ""),
        }
        self.rows.append(row)
        return row


def build_tree(target, rng):
    """About ``target`` organisations: 10 cities x 10 counties x G grassroots x B branches."""
    tree = Tree()
    root = tree.add(None, "350000", "共青团福建省委", "province", "government")
    cities = []
    for index, name in enumerate(
        [
            "福州市",
            "厦门市",
            "莆田市",
            "三明市",
            "泉州市",
            "漳州市",
            "南平市",
            "龙岩市",
            "宁德市",
            "平潭综合实验区",
        ]
    ):
        cities.append(
            tree.add(root, f"35{index + 1:02d}00", f"共青团{name}委员会", "city", "government")
        )
    for code, name, sector in (
        ("35A001", "省直机关团工委", "government"),
        ("35A002", "省教育团工委", "school"),
        ("35A003", "省国资委团工委", "enterprise"),
    ):
        tree.add(root, code, name, "working_committee", sector)
    counties_per_city = 10
    grassroots_per_county = max(1, round(target / (len(cities) * counties_per_city * 10)))
    school_serial = 0
    for city in cities:
        for c in range(counties_per_city):
            county = tree.add(
                city,
                f"{city['code'][:4]}{c + 1:02d}",
                f"{city['name'][3:-3]}第{c + 1}县团委",
                "county",
                "government",
            )
            for g in range(grassroots_per_county):
                code = f"{county['code']}-{g + 1:03d}"
                kind_roll = rng.random()
                if kind_roll < 0.18:
                    school_serial += 1
                    private = rng.random() < 0.25
                    unit = tree.add(
                        county,
                        code,
                        f"第{school_serial}中学团委",
                        "grassroots",
                        "school",
                        school_code=f"31350{school_serial:05d}",
                        ownership="private" if private else "public",
                    )
                    for b in range(9):
                        dated = rng.random() < 0.6
                        tree.add(
                            unit,
                            f"{code}-C{b + 1}",
                            f"{b % 3 + 1}年级{b // 3 + 1}班团支部",
                            "class_branch",
                            "school",
                            graduation_date=date(2026, 6, 30) if dated else None,
                        )
                else:
                    sector = "rural" if kind_roll < 0.6 else "enterprise"
                    unit = tree.add(county, code, f"{code}团委", "grassroots", sector)
                    for b in range(9):
                        tree.add(unit, f"{code}-B{b + 1}", f"第{b + 1}团支部", "branch", sector)
    return tree


def valid_regions():
    from stdnum import numdb

    table = numdb.get("cn/loc")
    regions = []
    for code in range(350102, 350999):
        info = {k: v for _part, props in table.info(str(code)) for k, v in props.items()}
        county = info.get("county", "")
        if county and not county.startswith("["):
            regions.append(str(code))
    return regions


def add_months(day, months):
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class People:
    """Valid, unique ID numbers: region, birth date and an odd (men) or even (women) sequence."""

    def __init__(self, regions):
        self.regions = regions
        self.used = set()

    def id_number(self, serial, gender, birth):
        from stdnum.cn import ric

        region_index = serial % len(self.regions)
        sequence = 1 if gender == "M" else 0
        while (key := (region_index * 10**6 + birth.toordinal()) * 1000 + sequence) in self.used:
            sequence += 2
            if sequence > 999:  # a region's day is full (millions of members): the next region
                region_index, sequence = (region_index + 1) % len(self.regions), sequence % 2
        self.used.add(key)
        body = f"{self.regions[region_index]}{birth:%Y%m%d}{sequence:03d}"
        return body + ric.calc_check_digit(body + "0")


def _path_of(tree, organization_id):
    return tree.rows[organization_id - 1]["path"]
