"""Words for `flask seed-scale`: invented people, organisations and texts in Kazakh and Russian,
and the small imperfections of real input (typos, synonyms, extra words)."""

from marketplace.demo.content import (
    FEMININE_ENDINGS,
    KAZAKH_MEN,
    KAZAKH_SURNAMES,
    KAZAKH_WOMEN,
    RUSSIAN_MEN,
    RUSSIAN_SURNAMES,
    RUSSIAN_WOMEN,
    SUMMARIES_KK,
    SUMMARIES_RU,
)

MORE_KAZAKH_MEN = [*KAZAKH_MEN, "Нұржан", "Ертай", "Мақсат", "Данияр", "Рүстем", "Азамат",
                   "Қуаныш", "Төлеген", "Олжас", "Санжар", "Ильяс", "Бағдат", "Абылай", "Жасұлан"]
MORE_KAZAKH_WOMEN = [*KAZAKH_WOMEN, "Аружан", "Жұлдыз", "Назерке", "Әйгерім", "Салтанат",
                     "Перизат", "Гаухар", "Меруерт"]
MORE_KAZAKH_SURNAMES = [*KAZAKH_SURNAMES, "Мұхамедиев", "Сұлтанов", "Бекмұханов", "Жақсылықов",
                        "Әлімжанов", "Тұрсынов", "Ермеков", "Шәкенов", "Қалиев", "Баймұратов",
                        "Нұрмағамбетов", "Есенов", "Дүйсенов", "Кенжебаев"]
MORE_RUSSIAN_MEN = [*RUSSIAN_MEN, "Николай", "Павел", "Роман", "Владимир", "Олег", "Максим",
                    "Артём", "Юрий"]
MORE_RUSSIAN_WOMEN = [*RUSSIAN_WOMEN, "Светлана", "Ирина", "Анна", "Марина"]
MORE_RUSSIAN_SURNAMES = [*RUSSIAN_SURNAMES, "Кузнецов", "Попов", "Васильев", "Морозов",
                         "Волков", "Павлов", "Соколов", "Бондаренко", "Ли", "Гончаренко"]
# Fathers' names give a patronymic: Kazakh "-ұлы / -қызы", Russian "-ович / -овна".
KAZAKH_FATHERS = ["Серік", "Болат", "Марат", "Ерлан", "Нұрлан", "Қайрат", "Асқар", "Бақыт"]
RUSSIAN_FATHERS = ["Иван", "Сергей", "Николай", "Петр", "Виктор", "Александр", "Михаил"]

ORGANISATION_FORMS = ["ТОО", "ТОО", "ТОО", "ИП", "АО", "КХ"]
ORGANISATION_WORDS = ["Сарыарқа", "Алтын", "Береке", "Нұр", "Жол", "Темір", "Даму", "Қазына",
                      "Арман", "Самұрық", "Ақ Орда", "Жетісу", "Батыс", "Шығыс", "Дала",
                      "Степной", "Евразия", "Каспий", "Алатау", "Тұран", "Байтерек", "Көктем"]
ORGANISATION_TRADES = {
    "construction": ["Құрылыс", "Строй", "СтройМонтаж", "Инжиниринг"],
    "manufacturing": ["Завод", "Өндіріс", "Пром", "Металл", "Тігін"],
    "transport": ["Транс", "Авто", "Көлік", "Автопарк"],
    "logistics": ["Логистик", "Склад", "Терминал", "Экспресс"],
    "retail": ["Маркет", "Сауда", "Трейд", "Дүкен"],
    "hospitality": ["Дастархан", "Асхана", "Кафе", "Отель"],
    "agriculture": ["Агро", "Ферма", "Егін", "Мал"],
    "mining_energy": ["Энерго", "Кен", "Мұнай", "Ресурс"],
    "utilities": ["Коммунал", "Тазалық", "Су", "Жылу"],
    "services": ["Сервис", "Қызмет", "Клининг", "Ремонт"],
    "it_communications": ["Телеком", "Софт", "Digital", "Байланыс"],
    "finance": ["Консалт", "Есеп", "Аудит"],
    "education": ["Білім", "Колледж", "Оқу орталығы"],
    "healthcare": ["Медикал", "Шипа", "Күтім"],
    "security": ["Қорған", "Security", "Күзет"],
    "public_administration": ["Әкімдік сервис", "Қала қызметі"],
    "culture": ["Өнер", "Шеберхана", "Студия"],
}
STREETS = ["ул. Абая", "ул. Сейфуллина", "пр. Республики", "ул. Толе би", "ул. Жамбыла",
           "мкр. Самал", "ул. Байтурсынова", "пр. Назарбаева", "ул. Гагарина", "ул. Ленина",
           "ул. Бухар жырау", "ул. Кенесары", "пр. Тауелсиздик", "ул. Майлина"]

VACANCY_EXTRA_RU = [
    "График: {schedule}. Зарплата выплачивается два раза в месяц.",
    "Предоставляем обед и доставку до места работы.",
    "Опыт приветствуется, но можем обучить с нуля.",
    "Работа на объектах по области, проживание за счёт компании.",
    "Испытательный срок один месяц, далее постоянный договор.",
]
VACANCY_EXTRA_KK = [
    "Кесте: {schedule}. Жалақы айына екі рет төленеді.",
    "Түскі ас және жұмысқа жеткізу қамтамасыз етіледі.",
    "Тәжірибе болса жақсы, бірақ нөлден үйретеміз.",
    "Облыс бойынша нысандарда жұмыс, тұрғын үй компания есебінен.",
]
SCHEDULE_WORDS = {"day": ("дневной, 5/2", "күндізгі, 5/2"),
                  "shifts": ("сменный, 2/2", "ауысымдық, 2/2"),
                  "night": ("ночные смены", "түнгі ауысым"),
                  "rotational": ("вахта 15/15", "вахта 15/15")}
# How employers dress up a job title.
TITLE_FORMS = ["{t}", "{t}", "{t}", "{t}", "Требуется {l}", "{t} (вахта)",
               "{t} на постоянную работу", "{t}, опыт от 1 года", "{t} / {k}", "Срочно! {t}"]

INSTITUTIONS = ["Учреждение ЕЦ-166/11", "Учреждение АК-159/21", "Учреждение ЛА-155/12",
                "Учреждение ЕЦ-166/18", "Учреждение УК-161/2", "Учреждение АП-162/3",
                "Учреждение ОВ-156/14", "Учреждение ЖД-158/8"]
SCHOOLS = ["Колледж при учреждении {i}", "Средняя школа № {n}", "Профессиональный лицей № {n}",
           "Политехнический колледж № {n}", "Курсы при центре занятости"]
PAST_EMPLOYERS = ["ТОО «Стройсервис»", "ИП Ахметов", "АО «КазТрансСервис»", "ТОО «Агрофирма»",
                  "Столовая «Береке»", "ТОО «Логистик Групп»", "СТО «Автомастер»",
                  "Промзона учреждения", "ТОО «Нұр Құрылыс»", "Рынок «Алтын Орда»"]
WORK_NOTES = ["", "", "Работал по найму без оформления.", "Сезонная работа.",
              "Мастер цеха при учреждении.", "Помогал бригадиру, выполнял заказы."]
OTHER_LANGUAGES = ["узбекский", "уйгурский", "турецкий", "немецкий", "татарский"]
RELEASE_DOCUMENT = "Справка об освобождении № {n}"
DISCLOSURES = [
    ("Осуждён по ст. 188 УК РК (кража), наказание отбыто полностью.",
     "За время заключения получил профессию и работал в мастерской."),
    ("Сотталған, жаза толық өтелген.", "Колледжде оқып, мамандық алдым."),
    ("Судимость по ст. 296 УК РК, условно-досрочное освобождение.",
     "Хочу вернуться к нормальной жизни и обеспечивать семью."),
]
CASE_NOTES = ["Позвонил, договорились о встрече в центре занятости.",
              "Помогли составить резюме, отправили на две вакансии.",
              "Телефонмен сөйлестік, жұмысқа шығуға дайын.",
              "Нужна помощь с восстановлением удостоверения личности.",
              "Направлен на курсы сварщика при колледже."]
NEXT_STEPS = ["Проверить отклики на этой неделе", "Пригласить на ярмарку вакансий",
              "Құжаттарын қалпына келтіру", "Созвониться после собеседования", ""]
TASK_TITLES = ["Позвонить и узнать итоги собеседования", "Проверить документы",
               "Пригласить на консультацию", "Жұмыс берушімен хабарласу"]
LEFT_REASONS = ["Переехал в другой город", "Не устроила зарплата", "Сокращение штата",
                "Нашёл работу ближе к дому", "Нарушение трудовой дисциплины",
                "Отбасылық жағдай", "Окончание сезона"]
REJECTIONS = ["Документы не подтверждают стаж работника.", "Организация не отвечает условиям "
              "программы: менее 12 месяцев деятельности.", "Вакансия относится к вредным "
              "условиям труда."]
RETURNS = ["Приложите трудовой договор.", "Уточните размер заработной платы."]
QUERIES = ["Часы не совпадают с табелем, уточните.", "Приложите выписку ЕНПФ за месяц."]
NOT_WORKED = "Работник уволен до этого месяца: подтвердите только отработанные месяцы."
REPORT_REASONS = ["Просят оплатить обучение до трудоустройства.", "Зарплата в объявлении не "
                  "соответствует действительности.", "Телефон не отвечает, похоже на обман."]
REJECT_ORGANISATION = "БИН не найден в реестре налогоплательщиков."
REOFFENCE_NOTES = ["Сообщил инспектор пробации.", "По данным учреждения."]
HIDE_REASON = "Объявление нарушает правила: требуют предоплату."

SUMMARIES = (SUMMARIES_RU, SUMMARIES_KK)


def person_name(rng) -> tuple[str, bool]:
    """Surname, first name and (usually) a patronymic, Kazakh or Russian; and whether the
    person is a woman (the IIN's sex digit follows it)."""
    woman = rng.random() < 0.22
    if rng.random() < 0.72:
        first = rng.choice(MORE_KAZAKH_WOMEN if woman else MORE_KAZAKH_MEN)
        surname = rng.choice(MORE_KAZAKH_SURNAMES)
        father = rng.choice(KAZAKH_FATHERS) + (" қызы" if woman else " ұлы")
    else:
        first = rng.choice(MORE_RUSSIAN_WOMEN if woman else MORE_RUSSIAN_MEN)
        surname = rng.choice(MORE_RUSSIAN_SURNAMES)
        father = rng.choice(RUSSIAN_FATHERS) + ("овна" if woman else "ович")
    if woman and surname.endswith(FEMININE_ENDINGS):
        surname += "а"
    name = f"{surname} {first} {father}" if rng.random() < 0.8 else f"{surname} {first}"
    return name, woman


def typo(rng, word: str) -> str:
    """One slip of the finger: a letter dropped, doubled or two letters swapped."""
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 2)
    slip = rng.randrange(3)
    if slip == 0:
        return word[:i] + word[i + 1:]
    if slip == 1:
        return word[:i] + word[i] + word[i:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def organisation_name(rng, sector_code: str) -> str:
    trade = rng.choice(ORGANISATION_TRADES.get(sector_code, ["Сервис"]))
    return f"{rng.choice(ORGANISATION_FORMS)} «{rng.choice(ORGANISATION_WORDS)} {trade}»"


def vacancy_title(rng, name_ru: str, name_kk: str) -> str:
    form = rng.choice(TITLE_FORMS)
    title = form.format(t=name_ru, l=name_ru[:1].lower() + name_ru[1:], k=name_kk)
    return typo(rng, title) if rng.random() < 0.03 else title


def vacancy_description(rng, name_ru: str, name_kk: str, schedule: str) -> str:
    from marketplace.demo.content import VACANCY_DESCRIPTION_KK, VACANCY_DESCRIPTION_RU

    ru, kk = SCHEDULE_WORDS[schedule]
    parts = [VACANCY_DESCRIPTION_RU.format(title=name_ru.lower()),
             rng.choice(VACANCY_EXTRA_RU).format(schedule=ru)]
    if rng.random() < 0.6:
        parts += [VACANCY_DESCRIPTION_KK.format(title=name_kk.lower()),
                  rng.choice(VACANCY_EXTRA_KK).format(schedule=kk)]
    return "\n\n".join(parts)
