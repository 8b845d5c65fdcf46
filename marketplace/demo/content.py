"""Names and texts for the demo data: realistic Kazakh and Russian, invented people."""

KAZAKH_MEN = ["Ерлан", "Нұрлан", "Айбек", "Дәурен", "Асхат", "Серік", "Бауыржан", "Ержан",
              "Талғат", "Мұрат", "Арман", "Ғалым", "Қайрат", "Жандос", "Бекзат", "Әділет"]
KAZAKH_WOMEN = ["Айгүл", "Гүлнар", "Жанар", "Сәуле", "Дина", "Әсем", "Мадина", "Айжан",
                "Ботагөз", "Гүлмира"]
KAZAKH_SURNAMES = ["Ахметов", "Серікбаев", "Жұмабаев", "Нұрланов", "Оспанов", "Қасымов",
                   "Тоқтаров", "Әбдіров", "Байжанов", "Сейітов", "Омаров", "Исаев"]
RUSSIAN_MEN = ["Сергей", "Андрей", "Дмитрий", "Алексей", "Виктор", "Евгений", "Игорь"]
RUSSIAN_WOMEN = ["Ольга", "Наталья", "Елена", "Татьяна"]
RUSSIAN_SURNAMES = ["Иванов", "Ким", "Петренко", "Ковальчук", "Смирнов", "Цой", "Шевченко"]

# Surnames ending in -ов/-ев/-ин take -а for women; others (Ким, Цой, Петренко) do not change.
FEMININE_ENDINGS = ("ов", "ев", "ин")

SUMMARIES_RU = [
    "Работал на стройке, умею работать руками. Ищу постоянную работу рядом с домом.",
    "Прошёл обучение в колледже при учреждении, есть свидетельство. Готов учиться дальше.",
    "Ответственный, не пью. Есть опыт на складе и в грузоперевозках.",
    "Хочу начать заново и обеспечивать семью. Готов к сменному графику.",
    "Имею опыт работы на кухне столовой, знаю санитарные нормы.",
]
SUMMARIES_KK = [
    "Құрылыста жұмыс істедім, қолымнан іс келеді. Үйге жақын тұрақты жұмыс іздеймін.",
    "Мекеме жанындағы колледжде оқыдым, куәлігім бар. Әрі қарай үйренуге дайынмын.",
    "Жауапкершілігім жоғары. Қоймада және жүк тасымалында тәжірибем бар.",
    "Отбасымды асырағым келеді. Ауысымдық кестеге дайынмын.",
]

ORGANISATIONS = [
    {"name": "ТОО «Сарыарқа Құрылыс»", "region": "KZ-KAR", "sector": "construction",
     "pledge": True, "owner": ("Бақытжан Серікбаев", "employer1@demo.kz")},
    {"name": "ТОО «Астана Логистик Сервис»", "region": "KZ-AST", "sector": "logistics",
     "pledge": True, "owner": ("Ирина Ковальчук", "employer2@demo.kz")},
    {"name": "ИП «Дастархан»", "region": "KZ-SHY", "sector": "hospitality",
     "pledge": False, "owner": ("Гүлмира Омарова", "employer3@demo.kz")},
]

# Which sectors each demo organisation hires for (its own and neighbouring trades).
HIRING_SECTORS = {
    "construction": ("construction", "utilities", "manufacturing"),
    "logistics": ("logistics", "transport", "retail"),
    "hospitality": ("hospitality", "services", "retail"),
}

STAFF = [
    ("Әсел Жұмабаева", "staff.astana@demo.kz", "KZ-AST"),
    ("Виктор Ким", "staff.karaganda@demo.kz", "KZ-KAR"),
    ("Нұргүл Исаева", "staff.shymkent@demo.kz", "KZ-SHY"),
]
# A second officer per job centre: claims above the threshold need two approvals.
SECOND_STAFF = [
    ("Ерлан Тоқтаров", "staff2.astana@demo.kz", "KZ-AST"),
    ("Ольга Пак", "staff2.karaganda@demo.kz", "KZ-KAR"),
    ("Дәурен Әлиев", "staff2.shymkent@demo.kz", "KZ-SHY"),
]
# Budgets per region and programme (tenge), allocated once.
DEMO_BUDGETS = {"kz-social-workplace": "30000000.00", "tax-incentive-certificate": "10000000.00"}

VACANCY_DESCRIPTION_RU = (
    "Приглашаем на работу: {title}. Официальное трудоустройство, обучение на месте, "
    "спецодежда. Рассматриваем кандидатов с судимостью: важны навыки и желание работать."
)
VACANCY_DESCRIPTION_KK = (
    "Жұмысқа шақырамыз: {title}. Ресми жұмысқа орналастыру, орнында оқыту, арнайы киім. "
    "Сотталғандығы бар үміткерлерді де қарастырамыз: бастысы — дағды мен ынта."
)

CERTIFICATE_ISSUERS = [
    "Колледж при учреждении ЕЦ-166/11 (Карагандинская область)",
    "Профессиональный лицей при учреждении ЛА-155/12 (Шымкент)",
    "Учебный центр при учреждении АК-159/7 (Астана)",
]
