"""What users and 智慧团建 write for the member record's fixed lists, mapped onto our terms.

One table per vocabulary, in this one place: the importers read cells through it, and the
exports write our own labels, so a file exported here imports back unchanged. Keys are compared
with every white space removed.
"""

from members.choices import Education, Ethnicity, Gender, Identity

#: 学历 as 智慧团建, schools and people write it; 在读 (studying for) counts as that level
EDUCATION = {
    "小学及以下": Education.PRIMARY,
    "小学在读": Education.PRIMARY,
    "初中及以下": Education.JUNIOR_SECONDARY,
    "初中在读": Education.JUNIOR_SECONDARY,
    "高中在读": Education.SENIOR_SECONDARY,
    "普通高中": Education.SENIOR_SECONDARY,
    "高中毕业": Education.SENIOR_SECONDARY,
    "职业高中": Education.VOCATIONAL_SECONDARY,
    "职高": Education.VOCATIONAL_SECONDARY,
    "中职": Education.VOCATIONAL_SECONDARY,
    "中职在读": Education.VOCATIONAL_SECONDARY,
    "中专在读": Education.VOCATIONAL_SECONDARY,
    "中等专科": Education.VOCATIONAL_SECONDARY,
    "技工学校": Education.VOCATIONAL_SECONDARY,
    "技校": Education.VOCATIONAL_SECONDARY,
    "大学专科": Education.JUNIOR_COLLEGE,
    "专科": Education.JUNIOR_COLLEGE,
    "高职": Education.JUNIOR_COLLEGE,
    "大专在读": Education.JUNIOR_COLLEGE,
    "专科在读": Education.JUNIOR_COLLEGE,
    "高职在读": Education.JUNIOR_COLLEGE,
    "大学本科": Education.UNDERGRADUATE,
    "本科在读": Education.UNDERGRADUATE,
    "大学": Education.UNDERGRADUATE,
    "硕士": Education.MASTER,
    "硕士在读": Education.MASTER,
    "研究生": Education.MASTER,
    "研究生在读": Education.MASTER,
    "硕士研究生在读": Education.MASTER,
    "博士": Education.DOCTORATE,
    "博士在读": Education.DOCTORATE,
    "博士研究生在读": Education.DOCTORATE,
}

#: 身份类别: 智慧团建's 职业 list and common variants
IDENTITY = {
    "在校学生": Identity.STUDENT,
    "学生（在校）": Identity.STUDENT,
    "中学生": Identity.STUDENT,
    "中职学生": Identity.STUDENT,
    "高校学生": Identity.STUDENT,
    "大学生": Identity.STUDENT,
    "国有企业职工": Identity.ENTERPRISE_EMPLOYEE,
    "国有企业员工": Identity.ENTERPRISE_EMPLOYEE,
    "非公企业职工": Identity.ENTERPRISE_EMPLOYEE,
    "非公有制企业职工": Identity.ENTERPRISE_EMPLOYEE,
    "私营企业职工": Identity.ENTERPRISE_EMPLOYEE,
    "外资企业职工": Identity.ENTERPRISE_EMPLOYEE,
    "企业职工": Identity.ENTERPRISE_EMPLOYEE,
    "机关事业单位职工": Identity.PUBLIC_SERVANT,
    "机关事业单位工作人员": Identity.PUBLIC_SERVANT,
    "党政机关工作人员": Identity.PUBLIC_SERVANT,
    "事业单位工作人员": Identity.PUBLIC_SERVANT,
    "公务员": Identity.PUBLIC_SERVANT,
    "农牧渔民": Identity.FARMER,
    "农村青年": Identity.FARMER,
    "进城务工青年": Identity.MIGRANT_WORKER,
    "进城务工人员": Identity.MIGRANT_WORKER,
    "农民工": Identity.MIGRANT_WORKER,
    "社会组织员工": Identity.SOCIAL_ORGANIZATION_STAFF,
    "社会组织工作人员": Identity.SOCIAL_ORGANIZATION_STAFF,
    "解放军和武警部队官兵": Identity.SOLDIER,
    "现役军人": Identity.SOLDIER,
    "武警": Identity.SOLDIER,
    "自由职业人员": Identity.FREELANCER,
    "灵活就业人员": Identity.FREELANCER,
    "待业青年": Identity.UNEMPLOYED,
    "无业": Identity.UNEMPLOYED,
    "失业人员": Identity.UNEMPLOYED,
    "其他职业": Identity.OTHER,
    "其他从业人员": Identity.OTHER,
}

GENDER = {
    "男性": Gender.MALE,
    "女性": Gender.FEMALE,
}

#: peoples not among the 56 are recorded as 其他 (GB/T 3304 code 97), their own name kept
UNRECOGNISED_PEOPLES = ("穿青人", "僜人", "夏尔巴人", "克木人", "摩梭人")


def _ethnicity():
    synonyms = dict.fromkeys(UNRECOGNISED_PEOPLES, Ethnicity.OTHER)
    synonyms.update({"其他民族": Ethnicity.OTHER, "未识别民族": Ethnicity.OTHER})
    return synonyms


ETHNICITY = _ethnicity()

SYNONYMS = {
    Education: EDUCATION,
    Identity: IDENTITY,
    Gender: GENDER,
    Ethnicity: ETHNICITY,
}


def synonyms_for(choices, labels):
    """Alternative spellings -> value for ``choices``, given its Chinese ``labels`` (label ->
    value). ID cards print a people without 族 (汉, 蒙古), so each 民族 is also read without it."""
    synonyms = dict(SYNONYMS.get(choices, {}))
    if choices is Ethnicity:
        for label, value in labels.items():
            if label.endswith("族"):
                synonyms.setdefault(label[:-1], value)
    return synonyms


def ethnicity_note(text, value):
    """The name to keep beside 其他: what the cell said when it named a people of its own."""
    if value != Ethnicity.OTHER:
        return ""
    text = "".join((text or "").split())
    return text if text in UNRECOGNISED_PEOPLES else ""
