"""The words the demo world is written with: topics, names, places, phrases.

Pure data. Generators combine these with a seeded random generator, so the same
seed always writes the same world. Topic order is part of that contract: append
new topics at the end.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Topic:
    slug: str  # also the English tag every note of the topic carries (channel tabs filter on it)
    zh: str
    en: str
    items_zh: tuple[str, ...]
    items_en: tuple[str, ...]
    tags_zh: tuple[str, ...]
    tags_en: tuple[str, ...]
    sentences_zh: tuple[str, ...]
    sentences_en: tuple[str, ...]
    palette: tuple[tuple[int, int, int], ...]
    place_share: float  # how many of the topic's notes carry a place
    variants_zh: tuple[str, ...] = field(default=())  # shades / sizes sold in the shop
    price_range: tuple[int, int] = (29, 399)


TOPICS: tuple[Topic, ...] = (
    Topic(
        slug="skincare",
        zh="护肤",
        en="Skincare",
        items_zh=("面霜", "精华", "防晒霜", "洗面奶", "面膜", "爽肤水", "眼霜", "乳液", "卸妆油"),
        items_en=("moisturizer", "serum", "sunscreen", "cleanser", "face mask", "toner", "eye cream", "lotion"),
        tags_zh=("护肤", "保湿", "敏感肌", "美白", "抗老", "成分党", "好物分享"),
        tags_en=("glowup", "routine", "dryskin"),
        sentences_zh=(
            "用了两周{item}，皮肤明显水润了很多。",
            "这款{item}质地很清爽，吸收特别快。",
            "敏感肌也可以放心用，没有刺激感。",
            "早晚各用一次，上妆也不搓泥。",
            "成分很干净，适合换季的时候用。",
            "回购第三瓶了，真的离不开。",
        ),
        sentences_en=(
            "Two weeks with this {item} and my skin feels so much softer.",
            "The texture is light and it sinks in fast.",
            "Gentle enough for my sensitive skin, no stinging at all.",
            "I use it morning and night, makeup sits nicely on top.",
            "Third bottle already, I keep coming back to it.",
        ),
        palette=((252, 228, 236), (248, 187, 208), (255, 243, 224), (225, 245, 254)),
        place_share=0.15,
        variants_zh=("30ml", "50ml", "100ml"),
        price_range=(59, 699),
    ),
    Topic(
        slug="makeup",
        zh="彩妆",
        en="Makeup",
        items_zh=("口红", "粉底液", "眼影盘", "腮红", "睫毛膏", "遮瑕", "散粉", "眉笔"),
        items_en=("lipstick", "foundation", "eyeshadow", "blush", "mascara", "concealer", "powder"),
        tags_zh=("彩妆", "口红试色", "日常妆", "新手化妆", "伪素颜"),
        tags_en=("makeuplook", "ootd", "beauty"),
        sentences_zh=(
            "这支{item}显白到发光，黄皮也能驾驭。",
            "持妆一整天都不脱妆，太惊喜了。",
            "新手也很好上手，晕染特别自然。",
            "颜色很日常，通勤约会都合适。",
            "包装颜值超高，送人也很有面子。",
        ),
        sentences_en=(
            "This {item} is so flattering on warm skin tones.",
            "Lasted the whole day without touch-ups.",
            "Easy to blend even for beginners.",
            "An everyday shade that works for the office and for dates.",
        ),
        palette=((255, 205, 210), (239, 83, 80), (244, 143, 177), (255, 224, 178)),
        place_share=0.1,
        variants_zh=("#01 豆沙", "#02 枫叶", "#03 正红", "#04 奶茶"),
        price_range=(39, 459),
    ),
    Topic(
        slug="fashion",
        zh="穿搭",
        en="Fashion",
        items_zh=("连衣裙", "风衣", "牛仔裤", "小白鞋", "针织衫", "托特包", "西装外套", "半身裙"),
        items_en=("dress", "trench coat", "jeans", "sneakers", "cardigan", "tote bag", "blazer", "skirt"),
        tags_zh=("穿搭", "每日穿搭", "通勤穿搭", "小个子穿搭", "秋冬穿搭"),
        tags_en=("ootd", "style", "outfit"),
        sentences_zh=(
            "这件{item}版型超好，显瘦又显高。",
            "面料很舒服，一点都不扎。",
            "一衣多穿，上班周末都能穿。",
            "配色很温柔，拍照特别出片。",
            "身高160穿M码刚刚好。",
        ),
        sentences_en=(
            "This {item} has such a flattering cut.",
            "The fabric is soft and breathable.",
            "Works for the office and for weekends.",
            "I am 160 cm and size M fits perfectly.",
        ),
        palette=((236, 239, 241), (176, 190, 197), (215, 204, 200), (255, 236, 179)),
        place_share=0.3,
        variants_zh=("S", "M", "L", "XL"),
        price_range=(99, 1299),
    ),
    Topic(
        slug="food",
        zh="美食",
        en="Food",
        items_zh=("火锅", "咖啡", "蛋糕", "小笼包", "拉面", "烤鸭", "奶茶", "早午餐", "甜品"),
        items_en=("hotpot", "coffee", "cake", "dumplings", "ramen", "roast duck", "milk tea", "brunch"),
        tags_zh=("美食", "探店", "吃货日常", "周末去哪儿", "家常菜"),
        tags_en=("foodie", "eats", "brunch"),
        sentences_zh=(
            "这家的{item}真的绝了，排队半小时也值得。",
            "人均一百左右，性价比很高。",
            "环境很有氛围感，适合和朋友聚餐。",
            "服务很热情，上菜速度也快。",
            "下次还要带爸妈一起来。",
        ),
        sentences_en=(
            "The {item} here is worth the thirty-minute queue.",
            "About a hundred yuan per person, great value.",
            "Cozy vibe, perfect for dinner with friends.",
            "Friendly staff and the food came fast.",
        ),
        palette=((255, 224, 178), (255, 171, 64), (188, 170, 164), (255, 249, 196)),
        place_share=0.8,
        variants_zh=("单盒", "两盒装", "礼盒"),
        price_range=(19, 199),
    ),
    Topic(
        slug="travel",
        zh="旅行",
        en="Travel",
        items_zh=("民宿", "古镇", "海岛", "雪山", "露营地", "博物馆", "日落", "徒步路线"),
        items_en=("homestay", "old town", "island", "camping", "museum", "sunset", "hike"),
        tags_zh=("旅行", "旅行攻略", "周末游", "小众景点", "城市漫步"),
        tags_en=("travel", "wanderlust", "citywalk"),
        sentences_zh=(
            "这个{item}人少景美，拍照随便拍都好看。",
            "建议早上八点前到，能避开人流。",
            "交通很方便，地铁出来走五分钟。",
            "门票不贵，可以待一整天。",
            "附近还有很多好吃的小店。",
        ),
        sentences_en=(
            "This {item} is quiet and every photo looks great.",
            "Go before 8 am to beat the crowds.",
            "Five minutes on foot from the metro.",
            "Cheap tickets and you can spend the whole day.",
        ),
        palette=((178, 235, 242), (77, 182, 172), (129, 212, 250), (255, 204, 128)),
        place_share=0.9,
    ),
    Topic(
        slug="fitness",
        zh="健身",
        en="Fitness",
        items_zh=("瑜伽垫", "跑鞋", "蛋白粉", "哑铃", "普拉提", "跳绳", "运动内衣"),
        items_en=("yoga mat", "running shoes", "protein", "dumbbells", "pilates", "jump rope"),
        tags_zh=("健身", "减脂", "居家健身", "跑步", "体态"),
        tags_en=("fitness", "workout", "gym"),
        sentences_zh=(
            "坚持用{item}练了一个月，腰围小了三厘米。",
            "每天二十分钟，新手也能跟上。",
            "配合饮食控制效果更明显。",
            "练完全身都很舒展。",
        ),
        sentences_en=(
            "A month of training with my {item}: three centimetres off my waist.",
            "Twenty minutes a day, beginner friendly.",
            "Pair it with better food and you will see results.",
        ),
        palette=((200, 230, 201), (102, 187, 106), (179, 229, 252), (255, 241, 118)),
        place_share=0.3,
        variants_zh=("标准款", "加厚款"),
        price_range=(29, 899),
    ),
    Topic(
        slug="home",
        zh="家居",
        en="Home",
        items_zh=("香薰", "收纳盒", "台灯", "地毯", "沙发", "餐具", "床品", "绿植"),
        items_en=("candle", "storage box", "desk lamp", "rug", "sofa", "tableware", "bedding", "plant"),
        tags_zh=("家居", "租房改造", "收纳", "卧室改造", "ins风"),
        tags_en=("homedecor", "interior", "cozy"),
        sentences_zh=(
            "加了这个{item}之后，房间氛围感拉满。",
            "租房党也能轻松改造，不伤墙面。",
            "收纳空间很大，桌面一下子清爽了。",
            "颜色很百搭，和原木风特别配。",
        ),
        sentences_en=(
            "This {item} changed the whole feel of my room.",
            "Renter friendly, no damage to the walls.",
            "So much storage, my desk is finally clear.",
        ),
        palette=((239, 235, 233), (161, 136, 127), (220, 237, 200), (255, 236, 179)),
        place_share=0.15,
        variants_zh=("奶白", "原木", "雾灰"),
        price_range=(29, 2999),
    ),
    Topic(
        slug="tech",
        zh="数码",
        en="Tech",
        items_zh=("耳机", "平板", "机械键盘", "相机", "充电宝", "手机壳", "智能手表"),
        items_en=("earbuds", "tablet", "keyboard", "camera", "power bank", "phone case", "smartwatch"),
        tags_zh=("数码", "桌面布置", "好物推荐", "开箱", "效率工具"),
        tags_en=("tech", "unboxing", "desksetup"),
        sentences_zh=(
            "这款{item}续航很顶，出差一周不用充电。",
            "手感很好，做工比想象的精致。",
            "降噪效果在这个价位很能打。",
            "连接稳定，切换设备很方便。",
        ),
        sentences_en=(
            "The battery on this {item} lasts a whole work trip.",
            "Feels solid and better made than I expected.",
            "Great value for the price.",
        ),
        palette=((207, 216, 220), (84, 110, 122), (179, 157, 219), (144, 202, 249)),
        place_share=0.1,
        variants_zh=("黑色", "白色", "远峰蓝"),
        price_range=(49, 4999),
    ),
    Topic(
        slug="pets",
        zh="萌宠",
        en="Pets",
        items_zh=("猫粮", "猫砂", "狗绳", "猫爬架", "宠物窝", "逗猫棒"),
        items_en=("cat food", "cat litter", "dog leash", "cat tree", "pet bed", "cat toy"),
        tags_zh=("萌宠", "猫咪日常", "养狗日常", "铲屎官"),
        tags_en=("catsofredbook", "dogs", "pets"),
        sentences_zh=(
            "我家猫主子超爱这个{item}。",
            "用了之后家里一点味道都没有。",
            "毛孩子吃得很香，便便也正常。",
        ),
        sentences_en=(
            "My cat is obsessed with this {item}.",
            "No smell in the flat at all now.",
        ),
        palette=((255, 236, 179), (255, 183, 77), (215, 204, 200), (200, 230, 201)),
        place_share=0.2,
        variants_zh=("1.5kg", "5kg", "10kg"),
        price_range=(19, 699),
    ),
    Topic(
        slug="books",
        zh="读书",
        en="Books",
        items_zh=("小说", "手帐", "钢笔", "书架", "绘本", "笔记本"),
        items_en=("novel", "journal", "fountain pen", "bookshelf", "notebook"),
        tags_zh=("读书", "书单推荐", "手帐", "自律", "学习打卡"),
        tags_en=("booklover", "reading", "studygram"),
        sentences_zh=(
            "这本{item}一口气读完，后劲很大。",
            "文字很温柔，适合睡前读几页。",
            "做了很多笔记，推荐给大家。",
        ),
        sentences_en=(
            "Finished this {item} in one sitting.",
            "Gentle writing, perfect before bed.",
        ),
        palette=((255, 248, 225), (188, 170, 164), (197, 202, 233), (200, 230, 201)),
        place_share=0.2,
        variants_zh=("平装", "精装"),
        price_range=(19, 299),
    ),
)

# Topics the shop sells (every topic but travel): category slug = topic slug.
SHOP_TOPICS = tuple(t for t in TOPICS if t.variants_zh)

ADJ_ZH = ("平价", "高颜值", "小众", "宝藏", "超值", "治愈系", "氛围感", "人气", "回购")
ADJ_EN = ("Budget", "Pretty", "Hidden gem", "Everyday", "Favourite", "Minimal", "Dreamy")
TITLES_ZH = (
    "{adj}{item}推荐",
    "{item}真的绝了！",
    "{adj}{item}｜亲测好用",
    "{city}{item}合集",
    "谁懂啊这个{item}",
    "被问爆的{item}",
    "{item}避雷指南",
    "一周{item}打卡",
    "平价{item}天花板",
    "{adj}{item}测评",
    "{city}宝藏{item}",
)
TITLES_EN = (
    "Best {item} ever",
    "{adj} {item} haul",
    "My {item} picks",
    "{item} review",
    "{city} {item} guide",
    "Why I love my {item}",
    "Honest {item} review",
    "{item} must-haves",
)
OPENERS_ZH = ("姐妹们！", "终于来分享了～", "真心推荐！", "不是广告，自费购买。", "")
OPENERS_EN = ("Okay friends!", "Finally sharing this.", "Not sponsored, bought it myself.", "")
CLOSERS_ZH = ("有问题评论区问我～", "觉得有用记得收藏！", "你们还有什么推荐吗？")
CLOSERS_EN = ("Ask me anything in the comments.", "Save this for later!", "What are your favourites?")

COMMENTS_ZH = (
    "求链接！",
    "太好看了吧",
    "已收藏，谢谢分享",
    "同款！真的好用",
    "请问是什么色号？",
    "蹲一个后续",
    "这个价格可以冲",
    "博主好会拍",
    "马住了",
    "我也想去！",
)
COMMENTS_EN = (
    "Where is this from?",
    "Love this!",
    "Saved, thank you!",
    "I have the same one, so good",
    "Need this in my life",
    "Great photos",
    "Adding it to my list",
)

SURNAMES_ZH = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭"
GIVEN_ZH = "晓雨欣怡梓涵子轩思琪诗雯佳宁一诺嘉怡可馨梦瑶雅婷静文浩然宇航俊杰明轩天佑若曦"
NICK_ADJ_ZH = ("爱吃的", "会拍照的", "不熬夜的", "在上海的", "爱旅行的", "早睡的", "努力的", "快乐的")
NICK_NOUN_ZH = ("小鱼", "猫猫", "橙子", "团子", "兔兔", "小熊", "阿花", "豆豆", "柚子", "奶茶")
FIRST_EN = ("Lily", "Mia", "Grace", "Chloe", "Emma", "Ivy", "Luna", "Leo", "Ethan", "Ryan", "Kevin", "Amy", "Zoe")
LAST_EN = ("Chen", "Wang", "Li", "Zhang", "Liu", "Lin", "Huang", "Zhou", "Wu", "Xu", "Sun", "Ma", "Smith")
# Stems for usernames: pinyin and English, lower-case ASCII.
USERNAME_STEMS = (
    "xiaoyu",
    "tiantian",
    "momo",
    "lily",
    "mia",
    "chloe",
    "leo",
    "yuki",
    "nana",
    "coco",
    "jiajia",
    "wenwen",
    "doudou",
    "amy",
    "kevin",
    "luna",
    "ivy",
    "zoe",
    "ethan",
    "ruoxi",
)
BRAND_PREFIX = ("Lumi", "Sancha", "Nord", "Bloom", "Aura", "Yun", "Mori", "Terra", "Kiko", "Shan", "Hana", "Vela")
BRAND_SUFFIX = ("Lab", "Studio", "Home", "Beauty", "Co", "Atelier", "Goods", "Works")
BRAND_ZH = ("光研", "山茶集", "北境", "花漾", "云朵", "森屿", "木语", "初心", "花间", "星野")

BIOS_ZH = ("分享日常好物", "热爱生活的打工人", "一个认真生活的人", "记录美好瞬间", "护肤/穿搭/美食")
BIOS_EN = ("Sharing the things I love.", "Coffee, cats and city walks.", "Living slowly.", "Notes from my day.")


@dataclass(frozen=True)
class City:
    zh: str
    en: str
    lat: float
    lng: float
    weight: float  # share of place-tagged notes
    places: tuple[str, ...]


CITIES: tuple[City, ...] = (
    City("上海", "Shanghai", 31.2304, 121.4737, 0.22, ("外滩", "武康路", "新天地", "田子坊", "陆家嘴", "安福路")),
    City("北京", "Beijing", 39.9042, 116.4074, 0.18, ("三里屯", "故宫", "南锣鼓巷", "798艺术区", "颐和园")),
    City("杭州", "Hangzhou", 30.2741, 120.1551, 0.1, ("西湖", "灵隐寺", "河坊街", "西溪湿地")),
    City("成都", "Chengdu", 30.5728, 104.0668, 0.1, ("太古里", "宽窄巷子", "锦里", "春熙路")),
    City("广州", "Guangzhou", 23.1291, 113.2644, 0.09, ("广州塔", "沙面", "永庆坊", "北京路")),
    City("深圳", "Shenzhen", 22.5431, 114.0579, 0.09, ("海岸城", "华侨城", "深圳湾公园", "南头古城")),
    City("西安", "Xi'an", 34.3416, 108.9398, 0.05, ("大唐不夜城", "回民街", "大雁塔")),
    City("重庆", "Chongqing", 29.5630, 106.5516, 0.05, ("洪崖洞", "解放碑", "李子坝")),
    City("南京", "Nanjing", 32.0603, 118.7969, 0.04, ("夫子庙", "玄武湖", "老门东")),
    City("苏州", "Suzhou", 31.2989, 120.5853, 0.03, ("平江路", "拙政园", "金鸡湖")),
    City("厦门", "Xiamen", 24.4798, 118.0894, 0.03, ("鼓浪屿", "曾厝垵", "沙坡尾")),
    City("大理", "Dali", 25.6065, 100.2676, 0.02, ("洱海", "大理古城", "双廊")),
)
