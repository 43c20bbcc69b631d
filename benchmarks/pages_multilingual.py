"""A small extraction dev set in other languages: news pages written for this benchmark.

L3S-GN1 is English only. These pages (text written by the newsevents project, MIT) carry what
real pages do around an article: navigation, a related-links list, a share bar, a footer, and a
table that belongs to the article. The article's own blocks are marked ``x-nc-sel2``, as in
L3S-GN1, so the same scorer reads them; the marks mean nothing to an extractor.
"""

from __future__ import annotations

from html import escape

#: language -> (title, article paragraphs, a table of the article (rows), furniture words)
PAGES: dict[str, tuple[str, list[str], list[list[str]], list[str]]] = {
    "ru": (
        "Министры обсудили поставки зерна через Черное море",
        ["Министры иностранных дел России и Турции встретились во вторник в Анкаре, чтобы обсудить возобновление "
         "поставок зерна через Черное море.",
         "По словам турецкой стороны, переговоры прошли в конструктивной атмосфере, однако окончательного соглашения "
         "достичь не удалось. Следующая встреча запланирована на конец месяца.",
         "Эксперты отмечают, что цены на пшеницу на мировых рынках выросли на двенадцать процентов с начала года."],
        [["Страна", "Экспорт, млн т"], ["Россия", "47,5"], ["Украина", "16,8"], ["Казахстан", "9,1"]],
        ["Главная", "Политика", "Экономика", "Спорт", "Читайте также", "Подписаться на рассылку",
         "Все права защищены", "Поделиться", "Комментарии"],
    ),
    "ar": (
        "وزراء الخارجية العرب يجتمعون في القاهرة لبحث الأزمة في السودان",
        ["اجتمع وزراء الخارجية العرب يوم الأحد في القاهرة لبحث سبل وقف القتال في السودان وإيصال المساعدات الإنسانية "
         "إلى المدنيين.",
         "وقال الأمين العام لجامعة الدول العربية إن الوضع الإنساني يزداد سوءا يوما بعد يوم، داعيا الطرفين إلى العودة "
         "إلى طاولة المفاوضات.",
         "ووفقا للأمم المتحدة، نزح أكثر من عشرة ملايين شخص داخل البلاد وخارجها منذ بدء النزاع."],
        [["الدولة", "عدد اللاجئين"], ["تشاد", "600 ألف"], ["مصر", "500 ألف"], ["جنوب السودان", "400 ألف"]],
        ["الرئيسية", "سياسة", "اقتصاد", "رياضة", "اقرأ أيضا", "اشترك في النشرة", "جميع الحقوق محفوظة", "شارك",
         "التعليقات"],
    ),
    "zh": (
        "两国外长在北京举行会谈 讨论贸易与安全合作",
        ["两国外长周三在北京举行会谈，双方就扩大贸易往来和加强地区安全合作交换了意见。",
         "外交部发言人在例行记者会上表示，会谈坦诚务实，双方同意年内举行新一轮战略对话。",
         "据海关统计，今年前十个月双边贸易额同比增长百分之八点五，创历史新高。"],
        [["月份", "贸易额（亿美元）"], ["八月", "152"], ["九月", "161"], ["十月", "158"]],
        ["首页", "国际", "财经", "体育", "相关阅读", "订阅新闻", "版权所有", "分享到", "评论"],
    ),
    "ja": (
        "首相、来月の首脳会議で経済安全保障を議題に",
        ["首相は火曜日の記者会見で、来月開かれる首脳会議で経済安全保障を主要な議題として取り上げる考えを示した。",
         "政府関係者によると、半導体や重要鉱物の供給網を強化するため、参加国との新たな枠組みを提案する方針だという。",
         "野党は、具体的な財源が示されていないとして、国会で説明を求める構えだ。"],
        [["品目", "輸入依存度"], ["レアアース", "60%"], ["半導体", "45%"], ["リチウム", "80%"]],
        ["ホーム", "政治", "経済", "スポーツ", "関連記事", "ニュースレター登録", "無断転載禁止", "シェア", "コメント"],
    ),
    "pt": (
        "Governo anuncia plano para conter o desmatamento na Amazônia",
        ["O governo federal anunciou nesta quinta-feira um plano para reduzir o desmatamento na Amazônia pela metade "
         "até o fim da década, com mais fiscalização e crédito para produtores que preservam a floresta.",
         "Segundo o ministério do Meio Ambiente, a área desmatada caiu trinta por cento no último ano, mas os focos de "
         "incêndio continuam elevados nos estados do Pará e do Mato Grosso.",
         "Organizações ambientais elogiaram as metas, mas cobraram recursos para as equipes de fiscalização."],
        [["Estado", "Área desmatada (km²)"], ["Pará", "3.272"], ["Mato Grosso", "2.086"], ["Amazonas", "1.623"]],
        ["Início", "Política", "Economia", "Esportes", "Leia também", "Assine a newsletter",
         "Todos os direitos reservados", "Compartilhar", "Comentários"],
    ),
}


def page(language: str) -> str:
    """The HTML page of ``language``."""
    title, paras, table, furniture = PAGES[language]
    nav = furniture[:4]
    rows = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table)
    related = "".join(f"<li><a href='/n/{i}'>{escape(furniture[4])} {i}: {escape(title[:30])}</a></li>" for i in range(5))
    body = "".join(f"<p class='x-nc-sel2'>{escape(p)}</p>" for p in paras[:2])
    body += f"<table class='x-nc-sel2'>{rows}</table><p class='x-nc-sel2'>{escape(paras[2])}</p>"
    return (f"<!DOCTYPE html><html lang='{language}'><head><meta charset='utf-8'><title>{escape(title)}</title></head>"
            f"<body><header><nav>{' | '.join(f'<a href=/{w}>{escape(w)}</a>' for w in nav)}</nav></header>"
            f"<main><article><h1>{escape(title)}</h1><div class='share'>{escape(furniture[7])}</div>{body}</article>"
            f"<aside><h2>{escape(furniture[4])}</h2><ul>{related}</ul></aside></main>"
            f"<footer><a href='/subscribe'>{escape(furniture[5])}</a> © 2025 {escape(furniture[6])}</footer>"
            f"</body></html>")
