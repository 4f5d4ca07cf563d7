"""Fixed lists of the member record: gender, the 56 ethnic groups, education and identity."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Ethnicity(models.TextChoices):
    """The 56 ethnic groups, keyed by their GB/T 3304 code."""

    HAN = "01", _("Han")
    MONGOL = "02", _("Mongol")
    HUI = "03", _("Hui")
    TIBETAN = "04", _("Tibetan")
    UYGHUR = "05", _("Uyghur")
    MIAO = "06", _("Miao")
    YI = "07", _("Yi")
    ZHUANG = "08", _("Zhuang")
    BUYEI = "09", _("Buyei")
    KOREAN = "10", _("Korean")
    MANCHU = "11", _("Manchu")
    DONG = "12", _("Dong")
    YAO = "13", _("Yao")
    BAI = "14", _("Bai")
    TUJIA = "15", _("Tujia")
    HANI = "16", _("Hani")
    KAZAKH = "17", _("Kazakh")
    DAI = "18", _("Dai")
    LI = "19", _("Li")
    LISU = "20", _("Lisu")
    VA = "21", _("Va")
    SHE = "22", _("She")
    GAOSHAN = "23", _("Gaoshan")
    LAHU = "24", _("Lahu")
    SUI = "25", _("Sui")
    DONGXIANG = "26", _("Dongxiang")
    NAXI = "27", _("Naxi")
    JINGPO = "28", _("Jingpo")
    KYRGYZ = "29", _("Kyrgyz")
    TU = "30", _("Tu")
    DAUR = "31", _("Daur")
    MULAO = "32", _("Mulao")
    QIANG = "33", _("Qiang")
    BLANG = "34", _("Blang")
    SALAR = "35", _("Salar")
    MAONAN = "36", _("Maonan")
    GELAO = "37", _("Gelao")
    XIBE = "38", _("Xibe")
    ACHANG = "39", _("Achang")
    PUMI = "40", _("Pumi")
    TAJIK = "41", _("Tajik")
    NU = "42", _("Nu")
    UZBEK = "43", _("Uzbek")
    RUSSIAN = "44", _("Russian")
    EVENK = "45", _("Evenk")
    DEANG = "46", _("De'ang")
    BONAN = "47", _("Bonan")
    YUGUR = "48", _("Yugur")
    GIN = "49", _("Gin")
    TATAR = "50", _("Tatar")
    DERUNG = "51", _("Derung")
    OROQEN = "52", _("Oroqen")
    HEZHEN = "53", _("Hezhen")
    MONBA = "54", _("Monba")
    LHOBA = "55", _("Lhoba")
    JINO = "56", _("Jino")
    # GB/T 3304's codes for people outside the 56: an unrecognised people, foreign origin.
    OTHER = "97", _("other ethnic group")
    FOREIGN_ORIGIN = "98", _("Chinese citizen of foreign origin")


class Education(models.TextChoices):
    PRIMARY = "primary", _("primary school")
    JUNIOR_SECONDARY = "junior_secondary", _("junior secondary school")
    SENIOR_SECONDARY = "senior_secondary", _("senior secondary school")
    VOCATIONAL_SECONDARY = "vocational_secondary", _("secondary vocational school")
    JUNIOR_COLLEGE = "junior_college", _("junior college")
    UNDERGRADUATE = "undergraduate", _("undergraduate")
    MASTER = "master", _("master's student or graduate")
    DOCTORATE = "doctorate", _("doctoral student or graduate")


class Identity(models.TextChoices):
    STUDENT = "student", _("student")
    ENTERPRISE_EMPLOYEE = "enterprise_employee", _("enterprise employee")
    PUBLIC_SERVANT = "public_servant", _("government or public institution staff")
    FARMER = "farmer", _("farmer")
    MIGRANT_WORKER = "migrant_worker", _("migrant worker")
    SOCIAL_ORGANIZATION_STAFF = "social_organization_staff", _("social organisation staff")
    SOLDIER = "soldier", _("serviceman")
    FREELANCER = "freelancer", _("freelancer")
    UNEMPLOYED = "unemployed", _("seeking work")
    OTHER = "other", _("other")


class DocumentType(models.TextChoices):
    """The identity document whose number identifies a member (证件类型)."""

    RESIDENT_ID = "resident_id", _("resident identity card")
    HONG_KONG_MACAO_PERMIT = (
        "hk_macao_permit",
        _("residence permit for Hong Kong and Macao residents"),
    )
    TAIWAN_PERMIT = "taiwan_permit", _("residence permit for Taiwan residents")
    FOREIGN_PERMANENT_RESIDENCE = "foreign_permanent", _("foreigner's permanent residence ID card")
    OTHER = "other", _("other document")
