"""Site furniture left in extracted text: paywall notes, comment prompts, newsletter promos, ad labels, share bars,
"Read more" lines, follow-us/app promos, wire sign-offs, photo credits, pull quotes, sponsors' blocks, disclosures,
credits, authors' bios, bylines and dates at the edges of the body, and the footers feeds append to summaries.

trafilatura drops these when their markup says so (class/id lists in `trafilatura.xpaths`), but not when a site
puts them in plain `<div>`s or `<p>`s between the paragraphs, and its own line filter (`utils.RE_FILTER`) is fixed
and German/English. Its `prune_xpath` takes XPath 1.0 without regular expressions, so matching texts there would be
longer and slower than this pass over the few lines of the extracted text.

A line is dropped only when it is short (`MAX_WORDS`) and matches an anchored pattern of furniture, or is a bar of
links/separators: a story sentence that merely contains "newsletter" or « abonnés » is kept.
"""

from __future__ import annotations

import re
from typing import Any

MAX_WORDS = 25  # furniture is a label or a call to action; a paragraph of the story is longer
# nor is furniture long in characters (the corpus's longest furniture line: 230): a 2 MB line without a space counted
# as one word, so every furniture pattern was tried on it (5.7 s of CPU for one page, hostile input, nineteenth round)
MAX_LINE_CHARS = 2_000
EDGE_LINES = 4  # bylines and dates are only looked for among the first / last lines of the body
MAX_LABEL_WORDS = 4  # a publisher's name inside a signature block (« Radio France »)

_I = re.IGNORECASE
# a line that is furniture from its start (`match` on the line with ’ read as ')
# Le Figaro's box: « Cet article est réservé aux abonnés. Il vous reste 68% à découvrir. », « Vente Flash : -50% sur
# l'abonnement numérique », « Je m'abonne » (a sale is furniture only when it sells the subscription)
_PAYWALL = re.compile(
    r"il vous reste \d+(?:[.,]\d+)?\s*% (?:de cet article )?à (?:lire|découvrir)"
    r"|la suite (?:de cet article )?est réservée aux abonnés|(?:cet )?article (?:est )?réservé aux abonnés"
    r"|s'abonner\b|abonnez-vous\b|je m'abonne\W*$|déjà abonnée?\b|offre (?:spéciale|découverte|d'essai)\b|special offer\b"
    r"|vente flash\b[^.!?]{0,40}\babonnement\b"
    r"|(?:subscribe|sign in|log in) to (?:continue|keep) reading|subscribe to read\b|subscribe(?: now| today)?\W*$"
    r"|this (?:article|story|content|post) is (?:only )?(?:for|available to|reserved for) (?:paid |paying )?"
    r"(?:subscribers|members)"
    r"|already (?:a )?(?:paid |paying )?(?:subscriber|member)\b|you have \d+ free articles?"
    # newsletter platforms' paywall (Substack, Ghost, Beehiiv): "Keep reading with a 7-day free trial", "Subscribe to
    # X to keep reading this post…", "Start trial", "Upgrade to paid", "Already have an account? Sign in"
    r"|(?:keep|continue) reading with a (?:\d+-day )?free trial|start (?:your )?(?:free )?trial\W*$"
    r"|(?:subscribe|upgrade) to [^.!?]{1,60}? to (?:keep|continue) reading\b|subscribe to [^.!?]{1,60}? to read the rest\b"
    r"|become a paying subscriber of [^.!?]{1,60}? to get access|upgrade to paid\W*$"
    r"|already have an account\W+(?:sign|log) ?in\W*$"
    # a premium story's box (twelfth round R12-3, R12-8): "This is a premium article", "Subscribe to Korea JoongAng
    # Daily for unlimited access to premium articles…", « Ceci est un article premium », "Register now"
    r"|this is an? (?:premium|subscriber[s']?[- ]only|members?[- ]only|paid|locked) (?:article|story|content)\W*$"
    r"|(?:subscribe|sign up|register) (?:to|with|for) [^.!?]{1,60}? for (?:unlimited|full|complete) access\b"
    r"|register(?: now| today| for free| here)?\W*$"
    r"|(?:ceci est|cet article est) un (?:article|contenu) (?:premium|abonnés?|payant)\W*$", _I)
# The publisher's note that the story is a translation (R12-3): "This article was originally written in Korean and
# translated by a bilingual reporter with the help of generative AI tools. …", "This story has been machine-translated
# from Japanese", « Cet article a été traduit de l'anglais », « Article traduit avec l'aide de l'IA »
_TRANSLATION_NOTE = re.compile(
    r"(?:this|the (?:following|above)) (?:article|story|report|piece|interview|text) (?:was|has been|is|were)"
    r" (?:originally (?:written|published|reported) in [\w-]+ and (?:was |then )?)?(?:auto(?:matically)?[- ]|machine[- ])?"
    r"translated\b"
    r"|(?:cet|cette|l') ?(?:article|dépêche|entretien|texte|enquête) (?:a été|est) (?:initialement (?:écrite?|rédigée?"
    r"|publiée?) en [\w-]+ (?:et|puis) )?(?:automatiquement )?tradui(?:t|te)\b"
    r"|article tradui(?:t|te) (?:de l'|du |avec l'aide|automatiquement)", _I)
_COMMENTS = re.compile(
    r"réagir(?: à cet article)?\W*$|réagissez\b"
    r"|vous devez être (?:abonnée?|connectée?|inscrite?) pour (?:réagir|commenter)"
    r"|(?:laisser|ajouter|écrire) un commentaire|(?:\d+ )?(?:commentaires?|réactions?|comments?)\s*(?:\(\d+\))?\W*$"
    r"|(?:voir|afficher|lire) (?:les |tous les )?(?:\d+ )?commentaires\W*$|(?:view|show|see|read) (?:all )?(?:\d+ )?comments\W*$"
    r"|(?:leave|post|add) a (?:comment|reply)|join the (?:conversation|discussion)"
    r"|you must be (?:logged in|signed in|a subscriber) to (?:comment|post|reply)"
    # the comment box's prompts in their other forms (fourteenth round): the French of "join the conversation" («
    # Lancez la conversation », « Rejoignez la discussion »), its button alone (« Commenter »), and the call to log
    # in first, in either language (« Connectez-vous à votre compte X pour participer à la conversation », "Sign in
    # to comment"): a line that starts so is the site's
    r"|(?:lancez|rejoignez|ouvrez|participez à) la (?:conversation|discussion)\W*$|commenter\W*$"
    r"|(?:connectez-vous|identifiez-vous|inscrivez-vous|créez (?:un|votre) compte|(?:log|sign) in|register"
    r"|create (?:an|a free|your) account)\b[^.!?]{0,60}?\b(?:pour|to) (?:réagir|commenter|participer à la (?:conversation"
    r"|discussion)|comment|reply|join the (?:conversation|discussion))\b", _I)
_NEWSLETTER = re.compile(
    r"newsletters?\b.*\b(?:s'inscrire|inscrivez-vous|abonnez-vous|sign up|subscribe)\W*$|s'inscrire\W*$|sign up\W*$"
    r"|inscription gratuite\W*$"
    r"|(?:sign up|subscribe) (?:for|to) (?:our|the) .{0,40}newsletter", _I)
# the publisher addressing the reader (imperative + « notre » / "our"), anywhere in a short line
# « Retrouvez toute l'actualité de votre région dans notre newsletter quotidienne » (audit-sites F15)
_NEWSLETTER_CALL = re.compile(
    r"\b(?:inscrivez-vous|abonnez-vous|sign up|subscribe)\s+(?:gratuitement\s+|now\s+)?(?:à|aux?|for|to)\s+"
    r"(?:notre|nos|our)\b[^.!?]{0,40}\b(?:newsletters?|lettres? d'information)\b"
    r"|\bretrouvez\b[^.!?]{0,80}?\b(?:dans|avec|par) (?:notre|nos)\b[^.!?]{0,30}\b(?:newsletters?|lettres? d'information)\b",
    _I)
# a pitch addressing the reader without « notre »/"our": « Recevez chaque matin l'essentiel de l'actualité tech »,
# « Newsletter Tech : recevez chaque jeudi notre sélection », "Get the best of tech in your inbox every week"
_PITCH = re.compile(
    r"(?:[^.!?]{1,80}\?\s+)?"  # « Le débat d'idées vous intéresse ? Recevez chaque samedi … » (R13-9)
    r"(?:newsletters?\b[^.!?:]{0,40}[:—–-]\s*)?"
    r"(?:recevez (?:chaque|tous les|toutes les|gratuitement|par (?:e-?mail|courriel)|dans votre boîte)\b"
    r"|(?:get|receive)\b[^.!?]{0,60}\b(?:in|to|into) your inbox\b[^,;]{0,30}$"
    r"|[^.!?]{0,60}\bdelivered (?:straight |directly )?to your inbox\b[^,;]{0,30}$"
    # a newsletter box's blurb with no verb: "The top business stories in your inbox every morning." (ninth round R9-5)
    r"|[^.!?]{0,60}\b(?:in|into|to) your inbox (?:every|each) (?:morning|evening|day|weekday|week|monday|tuesday"
    r"|wednesday|thursday|friday|saturday|sunday)\W*$"
    r"|[^.!?]{0,60}\bdans votre boîte (?:mail|e-mail|aux lettres|de réception) (?:chaque|tous les)\s+\w+\W*$)", _I)
# « Vous avez aimé cet article ? Partagez-le ! », "Enjoyed this story? Share it with a friend", « Copier le lien »
_SHARE_PROMPT = re.compile(
    r"(?:vous avez aimé|vous avez apprécié|cet article vous a plu|(?:did you )?(?:enjoy|enjoyed|like|liked))"
    r" (?:cet article|this (?:article|story|post))\s*\?"
    r"|(?:partagez-le|share it)(?: (?:with (?:a friend|your friends)|avec vos (?:amis|proches)))?\W*$"
    r"|(?:copier le lien|copy (?:the )?link|lien copié|link copied)\W*$"
    # a guide's feedback widget (thirteenth round R13-3): "Was this article helpful? Yes No", « Cet article vous
    # a-t-il été utile ? », « Avez-vous trouvé cette page utile ? »: the question alone, with its buttons
    r"|(?:(?:was|is) this|did you find this) (?:article|page|story|guide|explainer|answer|information|content|post)"
    r"(?: (?:helpful|useful))?\s*(?:helpful|useful)?\s*\?(?:\s*(?:yes|no|oui|non)\b){0,2}\W*$"
    r"|(?:cet article|cette page|ce contenu|ce guide|ce dossier|cette réponse|cette information) vous a-t-(?:il|elle)"
    r" (?:été )?(?:utile|aidée?)\s*\?(?:\s*(?:oui|non)\b){0,2}\W*$"
    r"|avez-vous trouvé (?:cet article|cette page|ce contenu|ce guide) utile\s*\?(?:\s*(?:oui|non)\b){0,2}\W*$", _I)
# "This article first appeared in The Silicon Ledger", « Cet article est paru dans Le Courrier Numérique n° 1245 »
# A portal's credit to the story's publisher (mini news sites, eleventh round R11-3, R11-8): "Originally published on
# techwire.example", "This story was originally featured on Fortune.com", "Read the original article on TechWire",
# « Publié à l'origine sur X », « Cet article a été initialement publié par X. Retrouvez… », and a print edition's
# note, "This article appeared in the South China Morning Post print edition as: …". "Originally published in 1998,
# the book…" is prose (a comma, a number)
_FIRST_APPEARED = re.compile(
    r"(?:cet article|this (?:article|story|post)) (?:est (?:initialement )?paru|a (?:initialement |originellement "
    r"|d'abord |à l'origine )?été (?:initialement |originellement |d'abord )?publiée?|a paru"
    r"|(?:first |originally )?appeared|was (?:first|originally) published|appeared first) (?:initialement )?"
    r"(?:dans|in|on|par)\b"
    r"|(?:this (?:article|story|post) was )?(?:originally|first) (?:featured|posted|ran|appeared) (?:on|in|at)"
    r"\s+(?!\d)[^,;]{1,60}$"
    r"|(?:originally published|first published|publié à l'origine|publié initialement|initialement publié)"
    r" (?:on|in|by|at|sur|dans|par)\s+(?!\d)[^,;]{1,60}$"
    r"|read the original (?:article|story|post|version) (?:on|at|in)\b|lire l'article (?:original|d'origine) (?:sur|dans)\b"
    # a republication's notice (thirteenth round R13-2): "This article is republished from The Conversation under a
    # Creative Commons license. Read the original article.", « Cet article est republié à partir de The Conversation
    # sous licence Creative Commons. Lire l'article original. », and the link alone; "This article was republished by
    # dozens of outlets" and « republié dans de nombreux journaux » are the story's
    r"|(?:lire|voir|consulter) l'article (?:original|d'origine|source)\W*$|read the original (?:article|story|post"
    r"|version)\W*$",
    _I)
_REPUBLISHED = re.compile(
    r"(?:cet article|cette tribune|ce texte|this (?:article|story|post|piece|essay)) (?:est|is|a été|has been|was)"
    r" (?:republié|republished|reproduit|reproduced|reposted|reprinted)\b[^.!?]{0,40}?(?:\b(?:à partir de|depuis|from"
    r"|with (?:the )?(?:kind )?permission|avec (?:l'aimable |la )?(?:autorisation|permission)|under|sous licence"
    r"|courtesy of)\b)", _I)
# a header over other stories' teasers, alone on its line: « Les plus lus », "Most read", "Related Articles"; "More
# from Tech" / "More in Business" / Bloomberg's "Most Read from Bloomberg" (as Yahoo syndicates it, audit-sites F2)
# only with capitalised words after it ("More in Europe than…", "Most read from left to right" are prose)
_SECTION_HEADER = re.compile(
    r"(?i:les (?:articles )?plus (?:lus|partagés|commentés|populaires)|(?:articles? )?les plus lus|dans la même rubrique"
    r"|sur le même thème|most (?:read|popular|viewed|shared|commented)|trending(?: now| stories)?"
    r"|related (?:articles?|stories|posts|content|coverage|topics)|more stories|you (?:may|might) also like"
    r"|recommended(?: for you| stories)?|vous aimerez aussi|à lire (?:ensuite|dans la même rubrique)"
    # a box of other stories in the text (seventh round R5): "More information", « Plus d'infos », « Más información »
    r"|more info(?:rmation)?|further reading|plus d'infos?|plus d'informations|más información)\W*$"
    r"|(?i:more (?:from|in|on)|most (?:read|popular|viewed|shared) (?:from|on)) (?:[A-Z&][\w&'.-]*\s*){1,4}$")
# the teasers such a header lists: list items ("- Oracle Bonds Slide as …") right under it, each a headline, or a
# teaser's headline and standfirst as plain lines (« More information » / "The operator will resell Azure services from
# its data centers"): no sentence ending (an item or a paragraph that ends like a sentence is the story's own)
_TEASER_ITEM = re.compile(r"(?:[-–—•*]\s+)?\S.*(?<![.;:!?»\"”])$")
MAX_TEASER_WORDS = 20
# a tag line: "Topics: AI, Cloud, Policy", « Mots-clés : IA, cloud » — a list of short items, not « Thème : l'IA… »
_TAGS = re.compile(r"(?:topics|tags?|mots[- ]clés|sujets|thèmes|keywords|filed under|catégories|categories"
                   # the archive's labels (tenth round R10-5): "Archived in: IBM · Telefónica · Madrid", "Posted in:"
                   r"|archived in|archivado en|archivé dans|classé dans|filed in|posted in|publié dans)\s*:\s*(.+)$", _I)
# a browser notice printed in the page: "Please turn on JavaScript to use this feature", "You need to enable
# JavaScript to run this app", « Veuillez activer JavaScript », "JavaScript is disabled" (mini sites, fourth round)
_SCRIPT_NOTICE = re.compile(
    r"(?:.*\b(?:please|you (?:need|must|have) to|kindly|to use|to view|to see|to read))?\s*(?:turn on|enable|activate|"
    r"switch on|allow)\s+javascript\b|javascript (?:is|must be|needs to be) (?:disabled|turned off|required|enabled)\b"
    r"|(?:veuillez |merci d')?(?:activer|activez) (?:le |l')?javascript\b|(?:le )?javascript (?:est )?(?:désactivé|requis"
    r"|nécessaire)\b", _I)
_AD_LABEL = re.compile(
    r"(?:publicité|pub|annonce|contenu sponsorisé|sponsorisé|contenu partenaire|advertisement|advertising|ad"
    r"|sponsored(?: content)?|partner content|paid (?:post|content))\W*$", _I)
# « >> Lire aussi : … », « [Lire aussi] … », « ► À découvrir : … »: the label may follow an arrow or a bracket; a
# label that also opens prose (« Pour aller plus loin, l'État… », « À découvrir dans… ») needs its separator. « À » is
# often typed « A » (« A lire aussi : … », audit-sites F10)
_READ_MORE = re.compile(
    r"(?:[>»►▶▸→•*\[(-]+\s*)?"
    r"(?:(?:[àa] )?lire (?:aussi|également|la suite)\b|(?:[àa] )?voir aussi\b|(?:[àa] )?découvrir aussi\b|sur le même sujet\b"
    r"|(?:[àa] découvrir|[àa] lire|[àa] voir|pour aller plus loin|en savoir plus)\s*(?:[:|\]»>–—-]|$)"
    r"|read (?:more|also|next)\b|see also\b|related(?: articles?| stories)?\s*:|more on this\b|continue reading\b"
    # the English word order, as Indian editions print it (thirteenth round R13-1): "Also Read | <headline>", "Also
    # read: …"; "Also read by millions, the paper…" is prose (no separator)
    r"|also (?:read|see|check)\s*[:|»>–—-])", _I)
# a labelled line of links to other stories: "More interviews: A | B", « Nos dossiers : A | B », « Nos autres
# entretiens : … » (audit-sites F9: their names became companies and persons of the story). The label is a few words
# opening with more/other/« nos »…; the items are titles (none ends like a sentence), two or more
_LINKS_LABEL = re.compile(
    r"(?:more|other|related|recent|latest|previous|further|also|nos|autres|d'autres|tous nos|toutes nos|plus de)"
    r"(?:\s+[^\W\d_][\w'-]*){0,3}\s*:\s*(.+)$", _I)
MAX_LINK_ITEM_WORDS = 12
# the site promoting its own channels: « suivez-nous sur Google Actualités », « ajoutez X à vos sources préférées sur
# Google », "Follow us on Google News", « Téléchargez l'application … sur l'App Store … Google Play », "syndicated via
# Microsoft Start", « Écouter cet article ». Imperatives and "us" only: a sentence reporting on Google News or the
# App Store (« Apple a retiré l'application de l'App Store ») does not match.
_CHANNELS = r"(?:whatsapp|instagram|facebook|tiktok|youtube|telegram|threads|bluesky|snapchat|twitter|x|linkedin)\b"
_SITE_PROMO = re.compile(
    r"\b(?:suivez|retrouvez|abonnez)(?:-nous|-vous)?\b[^.!?]{0,80}?\bsur google (?:actualités|news)\b"
    r"|\bajoutez\b[^.!?]{1,80}?\bà vos sources (?:préférées|favorites)\b"
    r"|\b(?:follow|find) us on google news\b|(?:^|[,;:!] )\W*(?:follow|find) [^.!?]{1,60}? on google news\b"
    r"|\b(?:add|make|set) us (?:as )?(?:a |your )?(?:preferred|trusted|favou?rite) source\b"
    r"|\b(?:téléchargez|installez)\b[^.!?]{0,40}?\bappli(?:cation)?\b[^.!?]{0,100}?\b(?:app store|google play|play store)\b"
    r"|^\W*(?:download|get) (?:the|our) [^.!?]{0,60}?\bapp\b[^.!?]{0,100}?\b(?:app store|google play|play store)\b"
    # the outlet's social channels and app, told to the reader at a line's start: "Follow Britannia News on WhatsApp
    # and download the Britannia News app for breaking news alerts", « Suivez-nous sur Instagram », "Join our
    # WhatsApp channel" (mini news sites, ninth round R9-4)
    rf"|^\W*(?:follow|join)\s+(?:us|[^.!?]{{1,40}}?)\s+on\s+{_CHANNELS}"
    rf"|^\W*(?:suivez|rejoignez)(?:-nous)?\s+(?:[^.!?]{{0,40}}?\s)?sur\s+{_CHANNELS}"
    r"|\b(?:join|rejoignez)\s+(?:our|notre)\s+(?:whatsapp|telegram)\s+(?:channel|chaîne|canal)\b"
    r"|\b(?:download|get|install)\s+(?:the|our)\s+[^.!?]{0,40}?\bapp\b[^.!?]{0,20}?\bfor\s+(?:breaking[- ]news\s+|news\s+)?"
    r"(?:alerts|notifications)\b"
    # Indian and Singapore editions' closing lines (thirteenth round R13-1): "Catch all the Technology News and Updates
    # on Live Mint. Download The Mint News App to get Daily Market Updates", "Join ST's WhatsApp Channel and get the
    # latest news". The app at a sentence's start only ("Users can download the app to get refunds" is the story's)
    r"|^\W*catch (?:all )?the (?:latest )?[^.!?]{0,80}?\b(?:news|updates)\b[^.!?]{0,80}?\b(?:on|at)\s+\S"
    r"|(?:^|[.!?]\s)\W*(?:download|get|install)\s+(?:the|our)\s+[^.!?]{0,40}?\bapp\s+(?:to|for)\s+(?:get|receive|read"
    r"|stay|follow|access|daily|live|breaking|the latest|latest)\b"
    # its French form, which names no store either (fourteenth round): « Vous souhaitez suivre l'actualité de votre
    # ville ? Téléchargez notre application et activez les alertes », « Pour ne rien manquer, installez notre appli »
    # (« notre » and no quotation mark before it: a story's app, or a slogan it quotes, is someone else's)
    r"|(?:^|[.!?,;:]\s)[^\w«\"“]*(?:téléchargez|installez)(?:\s+gratuitement)?\s+notre\s+appli(?:cation)?\b"
    r"|^\W*(?:join|follow|rejoignez|suivez)\s+(?:[^.!?]{0,40}?\s)?(?:whatsapp|telegram)\s+(?:channel|chaîne|canal)\b"
    # after a clause (second holdout, R13-12): "📣 For more lifestyle news, follow us on Instagram | Twitter | Facebook
    # and don't miss out on the latest updates!", "Click here to join X on WhatsApp"
    rf"|(?:^|[,;:!] )\W*(?:follow|join) us on\s+{_CHANNELS}|^\W*click here to (?:join|follow)\b[^.!?]{{0,60}}?\bon\s+{_CHANNELS}",
    _I)
# cheap substring tests before _SITE_PROMO's searches (most lines hold none of these)
_PROMO_HINTS = ("google", "app store", "play store", "sources préférées", "sources favorites", " source", "follow",
                "suivez", "rejoignez", "join", " app ", "catch ", "notre appli")
_SYNDICATED = re.compile(
    r"(?:this|the) (?:article|story|content|post)\b[^.!?]{0,100}?\b(?:syndicated|republished|distributed)"
    r" (?:via|on|by|through) (?:microsoft start|msn)\b"
    # an Indian site's note on agency copy (R13-9): "(Only the headline and picture of this report may have been
    # reworked by the Business Standard staff; the rest of the content is auto-generated from a syndicated feed.)",
    # "(Except for the headline, this story has not been edited by NDTV staff and is published from a syndicated feed.)"
    r"|\(?(?:only the headline|except for the headline|this (?:story|report|article) has not been edited)\b[^()]{0,200}?"
    r"\b(?:syndicated|agency|wire) feed\b", _I)
# a player's lines: « Écouter cet article », a position "1:12 / 4:05", and its length alone on its line (« Durée de la
# vidéo : 2min », "Video duration: 2:24": it opened a TV report's page and kept its repeated headline in the text,
# mini sites, eighth round)
_LISTEN = re.compile(r"(?:écouter|écoutez) (?:cet|l') ?article\b|listen to (?:this |the )?(?:article|story)\b"
                     r"|\d{1,2}:\d{2}(?::\d{2})?\s*/\s*\d{1,2}:\d{2}(?::\d{2})?\s*$"
                     r"|(?:durée (?:de la |du |de l')?"
                     r"(?:vidéo|video|reportage|sujet|podcast|épisode|émission|extrait|audio)"
                     r"|(?:video|audio|clip|episode|podcast) (?:duration|length|runtime))\s*:?\s*"
                     r"\d{1,2}\s?(?:h|min|mn|s|:\d{2})(?:\s?\d{1,2}\s?(?:min|mn|s)?|:\d{2})?\s*$", _I)
# photo credits: « Crédit photo : … », "Photo credit: …", « © AFP »; a bare « Crédit : » or "Photo: Jane Doe/Reuters"
# only when very short (« Crédit : la BCE relève ses taux » may be a subheading)
_CREDIT = re.compile(r"(?:crédits?|credits?) (?:photos?|images?|illustrations?)\s*:|(?:photos?|images?) credits?\s*:|©", _I)
_SHORT_CREDIT = re.compile(r"(?:crédits?|credits?|photos?|images?|illustrations?)\s*:\s*\S", _I)
MAX_CREDIT_WORDS = 15
MAX_SHORT_CREDIT_WORDS = 8
MAX_PROMO_WORDS = 45  # « Pour ne manquer aucune actualité de <site>, suivez-nous sur Google Actualités et ajoutez… »
# wire sign-offs: "Reporting by A in Paris; Editing by B", "Writing by C", "(This story has been refiled …)",
# « (avec AFP) »: "Reporting by the FT showed…" alone is prose, so a lone "Reporting by" needs a second credit
_WIRES = r"(?:(?:the )?agencies|agency|wires|pti|ani|ians|uni|reuters|afp|ap|bloomberg)"
_SIGN_OFF = re.compile(
    r"\(?(?:(?:additional |further )?reporting|writing|compiled|research) by\b.*\b(?:editing|edited|writing|reporting) by\b"
    r"|\(?(?:editing|edited|writing|additional reporting) by\b"
    r"|\(?(?:this|the) (?:story|article) (?:has been|was|is) (?:refiled|corrected|updated|amended)\b"
    r"|\(?avec (?:l')?(?:afp|reuters|ap|ats|belga|dpa|ansa|bloomberg)(?:\s*(?:et|,)\s*(?:afp|reuters|ap|ats|belga|dpa))*\)?\.?$"
    # an Indian edition's agency credit (R13-1): "(With inputs from agencies)", "(With inputs from PTI and Reuters)",
    # "With inputs from ANI"; "With inputs from farmers, the ministry drafted…" is prose
    rf"|\(with inputs? from [^()]{{1,60}}\)\W*$|with inputs? from {_WIRES}(?:\s*(?:,|and|&)\s*{_WIRES})*\W*$"
    # the other word order, found on the holdout pages (R13-9): "— With PTI inputs", "(With agency inputs)"
    rf"|[-–—]*\s*\(?with {_WIRES}(?:\s*(?:,|and|&)\s*{_WIRES})* inputs?\)?\W*$",
    _I)
# A wire story's version note under its headline and its credits in brackets (mini news sites, eleventh round R11-1):
# Reuters' "(Adds CEO comments from call in paragraphs 4-5, updates shares)", "(Recasts with …)", « (Actualisé avec
# déclarations du ministre, cours de Bourse) », « (Actualisé avec précisions) »; the French desk's credits « (Reportage
# Mathilde Moreau, avec Gilles Guillaume ; édité par Kate Entringer) », « (Rédigé par X, édité par Y) », « (Version
# française X) »: their names became persons of the story. The whole line in brackets, an editor's verb first;
# « (Actualisé) » alone and a sentence in brackets ("(Updates to the app are free.)") are the story's: a note names
# what it adds, in two words at least, with no full stop
_WIRE_NOTE = re.compile(
    r"\((?:adds|updates|recasts|rewrites|refiles|repeats|corrects|changes|fixes|removes|inserts|moves|tops|writes through"
    r"|actualisée?|ajoute|ajout de|corrige|complète|réécrit|reprend|recentr(?:e|é)|nouvelle version|mise à jour)"
    r"(?:\s+[^()\s]+){2,}(?<![.!?])\)\W*$"
    r"|\((?:reportage|rédigé par|rédaction|version française|écrit par|texte de)\b[^()]{0,160}?"
    r"\b(?:édité par|édition|édité|rédigé par|version française)\b[^()]{0,80}\)\W*$", _I)
# Bloomberg, AP and Reuters story endings (audit-sites F7): "--With assistance from Mark Bergen.", "To contact the
# reporters on this story: X in San Francisco at …", "To contact the editors responsible for this story: …", AP's
# "Copyright 2026 The Associated Press. All rights reserved. This material may not be published, broadcast, …", Reuters'
# "Our Standards: The Thomson Reuters Trust Principles.". Their names and cities became persons and places of the story.
# "With assistance from the state, …" (no dashes) is prose. AP's "___" rule stays: it holds no name, and the English
# corpus's reference texts keep it (dropping it lowered the benchmark's F1).
_WIRE_TAIL = re.compile(
    r"\(?-{1,2}\s*with (?:assistance|reporting) from\b"
    r"|to contact the (?:reporters?|editors?|authors?|writers?)\b[^:]{0,60}:"
    r"|copyright (?:©\s*)?\d{4},? (?:the )?associated press\b|copyright (?:©\s*)?\d{4}\b[^.]{0,60}\.\s*all rights reserved\b"
    r"|all rights reserved\W*$|this material may not be published, broadcast, rewritten,? or redistributed\b"
    r"|our standards\s*:\s*the [^.]{0,40}\btrust principles\b", _I)
# AP's credit line, whatever it names: "Associated Press writer X in Paris contributed to this report."
_CONTRIBUTED = re.compile(r"\bcontributed(?: reporting)? to this (?:report|story|article)\W*$"
                          r"|\b(?:a|ont) contribué à (?:cet article|ce reportage|cette enquête)\W*$", _I)
# The publisher asking the reader to subscribe or to pay for journalism, anywhere in a short line and in any wording
# (mini news sites audit, sixth round: « La suite de cet article est réservée à nos abonnés », « Vous lisez un
# article en accès libre… soutenez notre rédaction en vous abonnant dès 9 francs par mois », « Cet article vous est
# offert »): the subscription addressed to the reader (« vous », "you", « nos abonnés », "our subscribers"), never a
# story's subscribers (« Orange a perdu 200 000 abonnés », "Netflix raised its subscription price")
_SUBSCRIBE_PITCH = re.compile(
    r"(?:la suite (?:de cet article )?est )?réservée?s? à (?:nos|mes) abonnés\W*$|profitez de (?:notre|nos) offres? (?:découverte|d'essai|spéciale|d'abonnement)"
    r"|vous lisez un article en accès libre|(?:cet )?article (?:vous est )?offert\b|soutenez (?:notre|nos) (?:rédaction"
    r"|journalisme|journalistes|travail|média)|soutenez le journalisme|accès (?:illimité|libre) à (?:tous )?nos"
    r" (?:articles|contenus)|(?:this (?:article|story) is )?(?:for|available to) (?:our )?subscribers only\W*$"
    r"|support (?:our|independent|quality) journalism\W|become a (?:subscriber|member|supporter)\W*(?:today|now)?\W*$"
    r"|this (?:article|story) is free to read", _I)
# A newsletter's poll: its question, then its answers as short lines (mini sites, seventh round: Beehiiv's "How did you
# like today's issue?" over "🔥 Loved it", "😐 It was OK", "👎 Not for me")
_POLL_QUESTION = re.compile(r"(?:how did you like|how would you rate|what did you think of|how was) (?:today's|this"
                            r"|this week's) (?:issue|edition|newsletter|email|e-mail|post|briefing)\W*$"
                            r"|qu'avez-vous pensé de (?:cette|ce) (?:édition|lettre|newsletter|numéro)\W*$", _I)
MAX_POLL_ANSWER_WORDS = 6  # "- 👎 Not for me"
# A newsletter issue's contents, its stories' names as list items under "In today's issue:", « Au sommaire de cette
# lettre : » (mini sites, seventh round); the stories follow under their own headings
_CONTENTS_HEADER = re.compile(r"(?:in (?:today's|this|this week's|tonight's) (?:issue|edition|newsletter|email|e-mail"
                              r"|briefing|brief)|(?:here's )?what's inside|au sommaire(?: de (?:ce|cette) (?:numéro"
                              r"|édition|lettre|newsletter))?(?: aujourd'hui)?|dans (?:ce|cette) (?:numéro|édition"
                              r"|lettre|newsletter))\s*:?$", _I)
_LIST_ITEM = re.compile(r"[-–—•*]\s+\S")
# the referral box's header over its lines: "Share The Pulse"
_SHARE_BOX = re.compile(r"share\s+\S[^.!?:]{0,40}$", _I)
# Sponsors, event promotions, newsletters' and podcasts' own furniture (sixth round N3, N8, N11, N14): "Sponsored
# content from our partner", « Contenu proposé par … », "This issue is brought to you by Koyeb", "TOGETHER WITH
# DATADOG", "Register now for your free pass", "What did you think of today's edition?", "Refer 3 friends…", "Reply to
# this email…", "That's all for today", « Lisez « … » », « Infolettre Affaires », "This transcript was generated
# automatically…", "This interview has been edited for length and clarity", "Never miss an episode: subscribe…"
_SPONSOR_HEADER = re.compile(
    r"(?:sponsored|promoted|partner|paid) (?:content|post|story)(?: (?:from|by|with) .{0,60})?\W*$"
    r"|contenu (?:sponsorisé|partenaire|proposé par|en partenariat)\b.{0,60}$|en partenariat avec\b.{0,60}$"
    r"|publi-?(?:information|rédactionnel|reportage)\W*$|advertorial\W*$|together with\s+\S.{0,40}$"
    # a sponsor's name under any verb of the kind (mini news sites audit, seventh round R2): "PRESENTED BY SALESFORCE",
    # "Brought to you by X", "Powered by X", « Ce brief vous est proposé par X », « Cette newsletter vous est offerte
    # par X », « Proposé par X »: a label of its own, so no sentence ("The deal was presented by the minister as…")
    r"|(?:presented|brought to you|powered|sponsored|supported|made possible|underwritten) by\s+\S.{0,40}$"
    # "A MESSAGE FROM KESTREL" over a sponsor's pitch in a Beehiiv issue (mini sites, seventh round; in capitals, as a
    # label: "A message from the chief executive" may head a story's part), "A word from our sponsor"
    r"|(?-i:A (?:MESSAGE|WORD) FROM\s+[A-Z0-9][A-Z0-9&.'’ -]{0,40})$|an? (?:message|word)s? from (?:our |today's |this"
    r" week's )?(?:sponsors?|partners?)\W*$"
    r"|(?:[\w'-]+\s+){0,3}?vous (?:est|sont) (?:proposée?s?|offerte?s?|présentée?s?) (?:par|avec)\s+\S.{0,60}$"
    r"|(?:proposée?|offerte?) par\s+\S.{0,40}$", _I)
MAX_SPONSOR_WORDS = 10  # a label ("Sponsored content from our partner"), not « En partenariat avec le CNRS, Mistral… »
MAX_SPONSORED_LINES = 1  # the sponsor's paragraph under its label; the story resumes after it
# that paragraph speaks to the reader or ends on a call to action ("Learn how", « En savoir plus »): a label alone
# ("Powered by Acme Analytics") leaves the story's next paragraph where it is
_PROMOTIONAL = re.compile(r"\b(?:you|your|yours|vous|votre|vos)\b|^(?:discover|découvrez|try|essayez|learn|get|start"
                          r"|book|join|rejoignez|register|inscrivez-vous|download|téléchargez|monitor|build|deploy)\b", _I)
_SELF_FURNITURE = re.compile(
    r"(?:this|today's) (?:issue|edition|newsletter|episode) is (?:brought to you|sponsored|presented|supported) by\b"
    r"|get your (?:free )?(?:pass|ticket)"
    r"|join us (?:at|in)\b[^,;]{0,60}\b(?:summit|conference|expo|forum|event)\b[^,;]*$|inscrivez-vous (?:dès maintenant )?"
    r"(?:au|à la) (?:salon|conférence|sommet|webinaire)"
    r"|what did you think of (?:today's|this) (?:issue|edition|newsletter|email)|how did we do\W*$"
    r"|refer (?:\d+|a|three|five) friends?|your referral link|share .{1,40} with a friend\W"
    # a Beehiiv issue's referral box and its prompts to log in (mini sites, seventh round): "You currently have 0
    # referrals, only 3 away from receiving a mug", "Or copy and paste this link to others: …", "Login or Subscribe to
    # participate in polls."
    r"|you (?:currently )?have \d+ referrals?\b|(?:or )?copy and paste this link to (?:others|your friends|a friend)\b"
    r"|(?:log ?in|sign in|sign up) or subscribe to (?:participate in|join) (?:the )?(?:polls?|comments?|discussion)\b"
    # "Forward this newsletter to a colleague who would enjoy it", « Transférez cette lettre à un collègue » (R11-8)
    r"|(?:please )?(?:forward|transférez|transmettez) (?:this|the|cette|cet|ce) (?:email|e-mail|newsletter|issue|edition"
    r"|brief(?:ing)?|lettre|infolettre|courriel|message|numéro) (?:to|à) (?:a|an|your|un|une|vos|votre)\b"
    r"|reply to this (?:email|e-mail|newsletter)\b|that's (?:all|it) for (?:today|this week)\W"
    r"|see you (?:tomorrow|next week|on \w+day)\W*$|hi (?:friends|all|everyone|there),?\s*$"
    r"|lisez «|infolettres?(?: [A-ZÉ][\w-]*){0,3}\W*$"
    r"|(?:this|the) transcript (?:was|is|has been) (?:generated|produced|created) (?:automatically|by)"
    r"|(?:this|the) (?:interview|conversation|transcript) has been (?:edited|condensed|lightly edited)"
    r"|never miss an episode|cette (?:interview|entrevue) a été (?:éditée|condensée)"
    # a pointer to the publisher's own pages (R13-1): "Find out more about climate change … on the ST microsite here."
    r"|(?:find out|learn|read|discover|see) more\b[^.!?]{0,100}?\b(?:on|at|in|via) (?:our|the|this)\b[^.!?]{0,40}?"
    r"\b(?:microsite|mini-?site|site|website|page|hub|portal|section)\s+here\W*$"
    # a show's calls to the listener (tenth round R10-6): « Pour ne rater aucun épisode, abonnez-vous au podcast … et
    # laissez-nous 5 étoiles ! », "Rate and review us on Apple Podcasts", "Leave us a five-star review"
    r"|(?:pour )?ne (?:rate[zr]|manque[zr]) (?:plus )?aucun (?:épisode|numéro)\b|(?:abonnez-vous|subscribe)\s+(?:au|à ce"
    r"|à notre|to (?:the|this|our))\s+podcast\b"
    # the show named between (R13-3): "Subscribe to the Sifted Daily podcast on Apple Podcasts or Spotify…"
    r"|(?:subscribe|listen) to (?:the|our) (?:[\w&'.-]+\s+){1,4}?podcast\b[^.!?]{0,30}?\bon (?:apple podcasts|spotify"
    r"|deezer|youtube|your favou?rite)|abonnez-vous (?:au|à) (?:podcast\s+)?[^.!?]{1,40}?\bsur (?:apple podcasts|spotify"
    r"|deezer|votre application)|(?:please\s+)?(?:rate and review|rate,? review,? and subscribe)\b"
    r"|(?:.*[.!?,]\s+)?(?:leave us|give us|laissez-nous|mettez-nous)\s+(?:an?\s+|une\s+)?(?:\d|five|cinq)[\w-]*\s*"
    r"(?:-?stars?|étoiles)\b", _I)
# A show's credits line (R10-6): « Présentation : Julien Morel. Réalisation : Inès Dupuis. Un podcast de Tech & Co
# Audio. », "Hosted by Mia Chen. Music by Blue Dot Sessions. A Big Bytes production." — every sentence a credit (its
# label, then names only) or the producer's mark
_SHOW_CREDIT_LABEL = re.compile(
    r"(?:présentation|animation|réalisation|production|montage|mixage|musique|générique|habillage sonore|prise de son"
    r"|host(?:s|ed)?(?: by)?|presented by|présentée? par|animée? par|produced by|producers?|production by|music(?: by)?"
    r"|mixed by|mixing|sound design(?: by)?|editing|edited by|réalisée? par|produite? par|mixée? par)\s*:?\s+(.+)$", _I)
_SHOW_MARK = re.compile(r"(?:une?|a|an)\s+(?:podcast|émission|show|production|programme)\s+(?:de|d'|du|by|from|of|signée?)"
                        r"\s+(.+)$|(?:a|an)\s+(.+?)\s+production$", _I)
# the credits apart: sentences, or items between middle dots or bars (« Réalisation : X · Musique : Y · Silicium est un
# podcast indépendant, soutenu par ses auditeurs. »: mini sites, fifth round, where the line made X a person), and the
# show presenting itself among them ("Big Bytes is an independent show from Fathom Audio")
_CREDITS_APART = re.compile(r"(?<=[.;])\s+|\s+[·•|]\s+")
_SHOW_ITSELF = re.compile(r"(?:[\w'&.-]+\s+){1,4}(?:est|is)\s+(?:une?|an?)\s+(?:[\w-]+\s+){0,2}"
                          r"(?:podcast|émission|show)\b[^.!?]{0,80}$", _I)
# The publisher's statement of its own ties (mini news sites audit, seventh round R3): "Disclosure: Compute Markets
# Europe has received event sponsorship from Salesforce and Deutsche Telekom. Sponsors have no influence on our
# analysis.", "Disclaimer: the author holds shares in…", « Transparence : notre rédaction est financée en partie
# par… ». The label opens the line, a sentence about a tie follows (a sponsor, shares, funding, a client, "our", the
# author): "Disclosure of the figures came late." and a subheading « Transparence : les algorithmes en question »
# are the story's
_DISCLOSURE = re.compile(r"(?:(?:full |financial )?disclosures?|disclaimer|transparence|transparency"
                         r"|déclaration d'intérêts?|conflicts? of interest|conflits? d'intérêts?)\s*:\s*(\S.*)$", _I)
_DISCLOSED_TIE = re.compile(
    r"\b(?:our|we|us|the author|the writer|this (?:article|story|analysis|report|newsletter|site|publication)"
    r"|sponsor\w*|fund(?:s|ed|ing)?|financ\w*|shares?|stakes?|investors?|investments?|clients?|customers?"
    r"|partner(?:s|ship)?|advertis\w*|paid|owns?|employ\w*|affiliate\w*|commissions?|nous|notre|nos|l'auteur"
    r"|l'autrice|la rédaction|cet article|actionnaires?|partenaires?|rémunér\w*|parrain\w*|mécènes?|mécénat)\b", _I)
# a member's download box: "Download (XLSX, 240 KB)", « Télécharger le rapport (PDF, 1,2 Mo) », the line's last
# sentence a download link with its file type ("Members can download the full dataset… Download (XLSX, 240 KB)");
# the box's short header above it ("Get the data") goes with it
_DOWNLOAD = re.compile(r"(?:.*[.!?:]\s+)?(?:download|get|télécharger|téléchargez|obtenir)\b[^.!?]{0,60}?"
                       r"\(\s*(?:pdf|xlsx?|csv|docx?|pptx?|zip|json|odt|ods|epub|mp3)\b[^()]{0,30}\)\W*$", _I)
MAX_BOX_HEADER_WORDS = 5
# the same furniture told at a line's end: "Hear from CIOs at ExCeL London on 11-12 March. Register now for your free
# pass.", "… subscribe to Cloud Talk wherever you get your podcasts."
_SELF_FURNITURE_END = re.compile(r"(?:\.\s|^)(?:register|book) (?:now|today)\b.{0,60}\b(?:pass|ticket)s?\W*$"
                                 r"|wherever you get your podcasts\W*$", _I)
# Credits, a briefing's and a fact-check desk's own lines (mini news sites audit, seventh round R8-R10), each from
# the line's start: a credit then only names ("With help from Andrea Kovač", "Translated by Rhian Morris.", « Édité par
# Paul Renard. », « Traduit de l'espagnol par X »: "With help from the state, Atos…" is prose); the host introducing
# themself ("Good morning and welcome to X. I'm your host, Y."); a call for tips or mail ("Send tips and feedback to
# x@y.eu", « Une remarque, une info ? Écrivez-nous à x@y.fr »); thanks to the staff ("THANKS to our editor, X, and
# producer Y."); a newsletter's footer ("… Unsubscribe | Manage preferences", « Vous avez reçu ce brief d'un collègue
# ? »); a show's credit (« Retrouvez l'intégralité de l'entretien dans L'invité éco, présenté par X, … »)
_CREDIT_LINE = re.compile(
    r"(?:with (?:help|assistance|contributions?|additional reporting|reporting) from|translated(?: from (?:the )?[\w-]+)? by"
    r"|translation(?: by)?\s*:|traduit(?: de l'[\w-]+| du [\w-]+)? par|traduction\s*:|édité par|édition\s*:|produced by"
    r"|production\s*:|réalisation\s*:|réalisé par|produit par|adapté par|adapted by)\s+(.+)$", _I)
_HOST = re.compile(r"(?:.*[.!?,]\s+)?(?:i'm|i am|this is) your (?:host|guide|correspondent|author)\b"
                   r"|(?:.*[.!?,]\s+)?(?:je suis|c'est) votre (?:hôte|hôtesse|animat(?:eur|rice)|guide)\b", _I)
_TIPS = re.compile(r"(?:send|email|e-mail|drop|share|got|have|any)\b[^.!?]{0,30}?\b(?:tips?|feedback|story ideas)\b"
                   r"[^.!?]{0,30}?(?:\S+@\S+\.\w|\bto (?:me|us)\b)", _I)
_WRITE_TO_US = re.compile(r"(?:.*[?!.:]\s+)?(?:écrivez-nous|contactez-nous|write to us|contact us|get in touch(?: with us)?"
                          r"|email us|e-mail us)\b[^.!?]{0,60}?(?:\S+@\S+\.\w|\W*$)", _I)
_STAFF_THANKS = re.compile(r"(?:many |special )?(?:thanks|thank you|merci)\b,?\s+(?:to|à)\s+(?:our|my|notre|nos|mon|ma|mes)\s+"
                           r"(?:[\w-]+\s+){0,2}?(?:editors?|producers?|researchers?|copy ?editors?|team|staff|fact-checkers?"
                           r"|rédact(?:eur|rice)s?|éditeur|éditrice|équipe|product(?:eur|rice)s?|réalisat(?:eur|rice)s?)\b", _I)
_UNSUBSCRIBE = re.compile(r"(?:.*[.!?|]\s*)?(?:unsubscribe|se désabonner|désabonnez-vous|désinscription|se désinscrire"
                          r"|manage (?:your )?(?:email )?(?:preferences|subscriptions?)|gérer (?:mes|vos) (?:préférences"
                          r"|abonnements))\s*(?:\|.*)?$", _I)
# an e-mail's line for readers whose mail client shows it badly, left atop a newsletter's archived copy (mini news
# sites, eleventh round R11-6): « Voir cette lettre dans votre navigateur », "View this email in your browser",
# "Having trouble viewing this email? View it online", « Si ce message ne s'affiche pas correctement, cliquez ici »
_VIEW_IN_BROWSER = re.compile(
    r"(?:having trouble viewing this (?:email|e-mail|message|newsletter)\W*|(?:si )?(?:cet? (?:e-?mail|message|courriel)"
    r"|cette (?:lettre|newsletter|infolettre)) ne s'affiche pas correctement\W*)?"
    r"(?:(?:view|read|open|see) (?:this|the|it|this email|this e-mail|this newsletter|this issue|this message)"
    r"(?: email| e-mail| newsletter| issue| message)? (?:in (?:your|a|the) (?:web )?browser|online|on the web)"
    r"|(?:voir|lire|afficher|consulter|ouvrir) (?:cette (?:lettre|newsletter|infolettre)|cet? (?:e-?mail|message|courriel)"
    r"|la version (?:en ligne|web|navigateur)) (?:dans (?:votre|un|le) navigateur|en ligne|sur le web)"
    r"|cliquez ici|click here)\W*$", _I)
_FORWARDED = re.compile(r"(?:vous avez reçu (?:ce|cette) (?:brief|newsletter|lettre|infolettre|e-?mail|courriel|édition)"
                        r"|(?:was )?this (?:email|e-mail|newsletter|briefing|brief|edition) (?:was )?forwarded to you"
                        r"|(?:did )?someone forward(?:ed)? (?:you )?this)\b", _I)
# Eighth round of mini news sites (R8-2..R8-6): the publisher's lines in wordings the rules above did not know.
# A subscription call as its own sentence: "Premium content: … Subscribe from €1 for the first month", "Our journalism
# needs your support. Subscribe today to ValleyCourier.com.", « Abonnez-vous dès 1 € » — the imperative opens a
# sentence and names a price, a time word or a site's address; "Customers can subscribe to the plan from €9.99" is
# a story's sentence (no imperative at a sentence's start)
_SUBSCRIBE_CALL = re.compile(
    r"(?:^|.*[.!?:]\s+)(?-i:Subscribe|SUBSCRIBE|Abonnez-vous|ABONNEZ-VOUS|Je m'abonne|Become a subscriber|Join"
    r"|Donate|DONATE|Faites un don)\b"  # a public broadcaster's "Donate today." (R13-9)
    r"[^.!?]{0,40}?(?:\b(?:today|now|from|for only|dès|à partir de|aujourd'hui|maintenant)\b|[€$£]\s?\d|\d\s?[€$£]"
    r"|\b[\w-]+\.(?:com|fr|it|de|es|eu|net|org|co\.uk|be|ch)\b)", _I)
# a paywall label opening the line: "Premium content: …", "Subscriber-only story:", « Contenu premium : », « Article
# abonné : »
_PAYWALL_LABEL = re.compile(r"(?:premium|exclusive|subscribers?|members?)(?:[- ]only)?\s+(?:content|article|story|analysis)"
                            r"\s*:|(?:contenu|article|analyse) (?:premium|abonnés?|réservé aux abonnés)\s*:", _I)
# a newsletter's closing call to its reader, its sentences in any order (mini news sites: Substack's "If you found
# this useful, forward it to a colleague. Leave a comment below: I read every one."; « Transférez-le à un collègue »)
_CLOSING_CALL = re.compile(
    r"(?:[^.!?]{0,80}[.!?]\s+)?(?:if you (?:found|find|enjoyed|liked) (?:this|it)\b[^.!?]{0,40}?,\s*|si (?:vous avez "
    r"aimé|cet article vous a plu)[^.!?]{0,40}?,\s*)?(?:please\s+)?(?:(?:forward|share|send) (?:it|this(?: post| piece"
    r"| essay| issue| article)?) (?:to|with) (?:a|your|one) (?:friends?|colleagues?|co-workers?)\b"
    r"|(?:transférez|partagez|envoyez)-le (?:à|avec) (?:un|une|vos) (?:amie?s?|collègues?|proches)\b"
    r"|leave a comment(?: below| here)?\s*[:.!]|laissez(?:-moi|-nous)? un commentaire(?: ci-dessous)?\s*[:.!])", _I)
MAX_CLOSING_CALL_WORDS = 30
# the reader called on to write in, send or submit something (a question, an announcement, a tip), or told how to
# reach the author: "Submit your People on the move announcement … to business@…", « Posez-la à notre rédaction :
# nous répondons chaque semaine… », "Mike Rogoway covers Oregon's tech industry. Reach him at x@y.com or 503-555-0142."
# A call: an imperative (or « Posez-la ») at a sentence's start; the reach line needs an address or a number after it
_READER_CALL = re.compile(
    r"(?:^|.*[.!?:]\s+)(?:(?:submit|send(?: us)?|share|post|email|e-mail|mail)\s+(?:us\s+)?your\b"
    r"|(?:envoyez|adressez|soumettez|proposez|transmettez|confiez)(?:-nous)?\s+(?:vos|votre)\b"
    r"|posez(?:-la|-les|-nous|-lui)?\b[^.!?]{0,30}?\b(?:à|a)\s+(?:notre|la|nos)\s+(?:rédaction|journalistes?|équipe|expert)"
    r"|posez(?:-nous)?\s+(?:vos|votre)\s+questions?\b)", _I)
_REACH = re.compile(
    r"(?:^|.*[.!?]\s+)(?:you can )?(?:reach|contact|email|e-mail|write to|follow|joindre|contacter)\s+"
    r"(?:him|her|them|me|us|the author|the reporter|the writer|l'auteur|l'autrice|la rédaction)\b[^.!?]{0,20}?"
    r"(?:\S+@\S+\.\w|\+?\d[\d .()-]{7,20}\d|@\w{2,}|\bon (?:x|twitter|bluesky|mastodon|linkedin)\b)", _I)
# The publisher's affiliate notice (mini news sites, tenth round R10-2): "When you purchase through links on our site,
# we may earn an affiliate commission. Here's how it works.", « Cet article contient des liens d'affiliation : si vous
# achetez via ces liens, nous pouvons percevoir une commission », "We may earn a commission from links on this page."
# The reader's purchase and the site's commission, or the page saying it holds affiliate links, open a sentence
_AFFILIATE = re.compile(
    r"(?:.*[.!?:;]\s+)?(?:(?:when|if|si|lorsque|quand)\s+(?:you|vous)\s+(?:buy|purchase|shop|click|achetez|cliquez"
    r"|commandez|effectuez un achat)\b[^.!?]{0,80}?\b(?:we|nous|[A-Z][\w.&-]*)\s+(?:may|might|can|could|pouvons"
    r"|pourrions|peut|pourrait|percevons|touchons|earn|receive)\b"
    r"|(?:this|cet|cette|ce)\s+(?:article|page|post|story|guide|review|test|comparatif|contenu)\s+(?:contains?|contient"
    r"|includes?|comporte|inclut)\s+(?:des\s+)?(?:affiliate links?|liens? (?:d'affiliation|affiliés?|commerciaux))"
    r"|(?:we|nous)\s+(?:may|might|can|could|pouvons|pourrions)\s+(?:earn|receive|get|percevoir|toucher|recevoir)\s+"
    r"(?:an?\s+|une\s+)?(?:small\s+|petite\s+)?(?:affiliate\s+)?commission\b)", _I)
# A retail-investing site's own lines (R10-3): its stock-picking promotion ("Should you invest $1,000 in Intel right
# now?", "Before you buy stock in Intel, consider this: …"), the returns footnote under it ("*Stock Advisor returns as
# of December 1, 2026") and the writers' positions ("Jane Doe has positions in Microsoft. X recommends Nvidia. X has
# a disclosure policy."). The promotion names a sum or asks the reader to hold off; a story's "Should investors buy
# Nvidia now?" heading stays
_INVESTING_PROMO = re.compile(
    r"should you (?:invest|put) [$€£]\s?[\d.,]+\s*(?:k|m)?\s+(?:in|into)\b[^.!?]{0,60}\?\s*$"
    r"|before you (?:buy|invest in) (?:stock|shares) (?:in|of)\b[^.!?]{0,60}?,?\s+consider this\b"
    r"|\*\s*(?:[\w&'-]+\s+){0,4}returns? (?:as of|through) [^.!?]{4,30}\d{4}\.?\s*$", _I)
_POSITIONS = re.compile(r"(?:[^\W\d_][\w.'-]*\s+){1,6}(?:has|have|holds?|owns?)\s+(?:no\s+)?positions?\s+in\b", _I)
_POSITIONS_TIE = re.compile(r"\bdisclosure policy\b|\brecommends?\b|\bstocks? mentioned\b|\bshort\b|\boptions\b", _I)
# a question line heading such a call: « Vous avez une question ? », "Got a tip?", "Have a story to share?"
_CALL_HEADER = re.compile(r"(?:vous avez|une|des|got|have|any)\s+(?:an?\s+|une\s+|des\s+)?(?:questions?|info(?:rmation)?s?"
                          r"|témoignages?|remarques?|tips?|story|stories|idées?|ideas?|news)\b[^.!?]{0,30}\?\s*$", _I)
# a series box: « Cet article fait partie de notre dossier « X ». Retrouvez tous les articles du dossier », "This
# story is part of our series on …", « Cet article est extrait de notre hors-série »
_SERIES = re.compile(r"(?:cet article|cette enquête|ce reportage|this (?:article|story|piece|report|explainer))"
                     r"\s+(?:fait partie|is part|est extrait|is taken|is one)\s+(?:de|d'|du|of|from)\s+(?:notre|nos|la|le|l'|une?|our|a|an|the)\b", _I)
# a rights notice: « © Agence X. Toute reproduction, même partielle, est interdite sans autorisation », "No
# reproduction without written permission", "All rights reserved" — it opens its sentence ("The court ruled that
# any reproduction … was prohibited" is a story's sentence)
_RIGHTS = re.compile(r"(?:(?:©|\(c\)|copyright)[^.]{0,80}[.:–—-]?\s*)?(?:toute|any|no|tous droits de)\s+(?:reproduction|redistribution"
                     r"|republication|copie|rediffusion|diffusion)\b.{0,150}?\b(?:interdite?s?|prohibited|forbidden|not permitted"
                     r"|réservés|sans (?:l'|son |une )?(?:accord|autorisation)|without (?:the )?(?:prior |express )?(?:written )?"
                     r"(?:permission|consent|authori[sz]ation))"
                     r"|(?:©|\(c\)|copyright)[^.]{0,80}?\b(?:all rights reserved|tous droits réservés)\W*$", _I)
# An opinion page's disclaimer and its syndicate's copyright line (thirteenth round R13-4): "The views expressed in this
# commentary are solely those of the author…", "Opinions expressed are the author's own.", « Les opinions exprimées
# dans cette tribune n'engagent que leur auteur », « Cette tribune n'engage que son auteur », "Copyright: Project
# Syndicate, 2026." The author's or authors' own views, named as such: "The views expressed by the committee were
# those of a minority" is the story's
_OPINION_DISCLAIMER = re.compile(
    r"(?:the |any )?(?:views?|opinions?)(?: and (?:opinions?|views?))? expressed\b[^.!?]{0,80}?\b(?:are|is|remain)"
    r" (?:solely |entirely |only |strictly |exclusively )?(?:those (?:of )?|that of |the (?:views?|opinions?) of )?"
    r"(?:the |his |her |their )?(?:authors?|writers?|contributors?|columnists?)(?:'s?)?\b"
    r"|(?:les )?(?:opinions|propos|idées|points de vue|analyses)(?: et (?:opinions|analyses|idées))? (?:exprimée?s|tenus"
    r"|développée?s|formulée?s)\b[^.!?]{0,80}?\bn'engagent que (?:leurs?|son|ses|l'|les) (?:auteur|signataire)"
    r"|(?:cette tribune|ce texte|cet article|cette chronique|ce billet|cette opinion|cette analyse) n'engage(?:nt)? que"
    r" (?:son|ses|leurs?) (?:auteur|signataire)"
    r"|(?:copyright|©)\s*:?\s*(?:©\s*)?(?:(?:19|20)\d{2}\s+(?-i:[A-Z])[^.!?,]{1,50}|(?-i:[A-Z])[^.!?,]{1,50},\s*(?:19|20)\d{2})"
    r"\.?\s*$", _I)
# the publisher's imprint, a bar of pieces one of which is a street address with its postcode: « Agence X SA · 12, rue
# de la Bourse 75002 Paris · Service clients : 01 55 00 00 00 », "Il Quotidiano S.p.A. · Via Monte Rosa 91, 20149
# Milan"; a sentence giving an address ("… moved to 12 rue de la Bourse, 75002 Paris, in March.") has no bar. A German
# street is looked for from a word's start only (tried inside a word too, the word was read again from each of its
# letters: a 20,000-letter word in a line with a bar took 17 s; found or not, the answer is the same)
_STREET_ADDRESS = re.compile(
    r"(?:\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|place|quai|allée|chemin|cours|impasse|route)\b"
    r"|\b(?:via|viale|piazza|corso|calle|plaza|avenida)\s+\S"
    r"|\b\d{1,5}\s+[\w'. -]{2,40}\s(?:street|st\.|road|rd\.|avenue|ave\.|lane|boulevard|blvd\.?)"
    r"|(?<![\w'-])[\w'-]+(?:straße|strasse|str\.|weg|platz)\s+\d)[^|·•]{0,60}?\b\d{4,5}\b", _I)
# a footnote's back-reference arrow at a line's end ("… are merged. ↩"): the line stays, the arrow goes
_BACKREF = re.compile(r"\s*(?:↩\ufe0e?|⤴)+\s*$")
# a magazine's end-of-story sign after the story's last sentence (The Register's "… by Monday. ®", The Economist's
# "■", a tombstone "∎", The New Yorker's "♦"): the sentence stays, the sign goes; a brand's "Windows®." is left alone.
# At any line's end: The Register signs the story before its "Bootnote"
_END_SIGN = re.compile(r"(?<=[.!?»”\"')])[^\S\n]+[®■◼∎♦][^\S\n]*$", re.MULTILINE)


_SHOW_CREDIT = re.compile(
    r"(?:retrouvez|écoutez|réécoutez|regardez|revoyez|find|listen to|watch|hear)\b[^.!?]{0,120}?\b"
    r"(?:présentée? par|animée? par|presented by|hosted by)\s+(?-i:[A-ZÀ-Ý])"
    r"|(?:retrouvez|écoutez|réécoutez|regardez|revoyez|listen to|watch)\s+(?:l'intégralité|l'entretien|l'interview"
    r"|l'émission|the full|the whole|the (?:interview|episode|show|programme|program))\b", _I)
# Agencies' end marks: a desk slug (AFP « tsq-ak/def/abx », dpa "dpa jki xx ssc"), an agency's name alone in
# brackets « (ats) », « (Belga) », their full names in the credit (« Avec La Presse Canadienne et l'Agence
# France-Presse »), a rights notice inside the line ("© Copyright ANSA - ALL RIGHTS RESERVED")
_AGENCY_MARK = re.compile(
    r"(?:[a-z]{2,5}(?:-[a-z]{2,5})*/[a-z]{2,5}(?:/[a-z]{2,5})*|dpa(?:\s+[a-z]{2,4}){1,4})\s*$"
    r"|\(\s*(?:afp|ats|atsf?|belga|dpa|ansa|ap|reuters|efe|apa|anp|ats/afp|afp/ats)\s*\)\W*$"
    r"|avec (?:la presse canadienne|l'agence france-presse|l'afp|reuters|l'associated press)(?:\s+et\s+"
    r"(?:la presse canadienne|l'agence france-presse|l'afp|reuters|l'associated press))*\W*$"
    r"|.{0,60}\ball rights reserved\b.{0,60}$|reproduction (?:only with|interdite|réservée)\b", _I)
# Reuters' link text for screen readers, glued to the link: "Capgemini (CAPP.PA), opens new tab on Wednesday …"
_LINK_SUFFIX = re.compile(r",\s*opens new tab\b")
# a signature line at the body's edge: « Ouest-France avec AFP », « Marc Le Gall avec Reuters »
_SIGNED_WITH_AGENCY = re.compile(
    r"[^\W\d][\w'.-]*(?:\s+[\w'.-]+){0,5}\s+(?:avec|with)\s+(?:l')?(?:afp|reuters|ap|ats|belga|dpa|ansa|bloomberg)\.?$", _I)
# a blogger's closing words after the last paragraph (Medium, audit-sites F16): "Thanks for reading! If you enjoyed
# this, follow me for weekly analysis of …", "Follow me for more", « Merci de m'avoir lu ». Only at the body's end,
# and "Thanks for reading" only as a sentence of its own ("Thanks for reading the fine print, investors…" is prose)
_BLOG_CLOSING = re.compile(
    r"(?:thanks?(?: you)?(?: so much| again)? for reading(?: (?:this|my|the) (?:post|article|piece|story|newsletter))?"
    r"\s*[!.]*\s*(?:$|(?=if you |please |follow me\b|subscribe\b|clap\b))"
    r"|if you (?:enjoyed|liked|found value in) (?:this|it|reading)\b[^.!?]{0,40}?,?\s*(?:please )?"
    r"(?:follow me|subscribe|clap|give (?:it|this))\b"
    r"|(?:please )?follow me (?:on \w+ )?for (?:more|weekly|daily|regular)\b"
    r"|merci (?:de m'avoir lu|d'avoir lu|pour votre lecture)\b)", _I)
# the top of a press release (audit-sites F13): its kicker « Communiqué de presse » / "Press release" (the headline
# under it then becomes the text's first line, which `extract.without_title` drops), and its dateline « Roubaix, le 3
# décembre 2026 », "PARIS, December 3, 2026": one to four capitalised words of a place, a comma, then a date line
_RELEASE_KICKER = re.compile(r"(?:communiqué(?: de presse)?|press release|news release|information presse"
                             r"|for immediate release|pour diffusion immédiate)\W*$", _I)
# a release distributor's dateline (mini sites, fifth round): "PARIS--(BUSINESS WIRE)--", « ROUBAIX, France--(BUSINESS
# WIRE)--Regulatory News: », "PARIS, Dec. 03, 2026 (GLOBE NEWSWIRE) -- ", "PARIS, Dec. 3, 2026 /PRNewswire/ -- ",
# "/CNW/", "/EINPresswire.com/", "PARIS, FRANCE / ACCESSWIRE / December 3, 2026 /": the distributor's mark and the
# issuer's address, alone on a line or opening the first paragraph; the wire's name is no word of the story
_DISTRIBUTOR_DATELINE = re.compile(
    r"[^\n]{0,80}?(?:\(\s*(?:business ?wire|globe ?newswire|marketwired|accesswire|newsfile corp\.?[^()\n]{0,40})\s*\)"
    r"|/\s*(?:pr ?newswire[\w -]{0,30}|cnw|einpresswire(?:\.com)?|accesswire|globe ?newswire)\s*/"
    r"(?:[^/\n]{0,25}\b\d{4}\s*/)?)"
    r"\s*(?:[-–—]{1,2}\s*)?"
    r"(?:(?:regulatory news|press release|communiqué de presse|information réglementée)\s*:\s*)?", _I)
_RELEASE_DATELINE = re.compile(r"(?:[A-ZÀ-Ý][\w'-]*\.?\s+){0,3}[A-ZÀ-Ý][\w'-]*(?:\s*\([^)]{1,40}\))?\s*,\s*(.+)$")
_SHARE = re.compile(
    r"(?:partager|partagez|share)(?: (?:cet article|l'article|this (?:article|story|page)|on))?"
    r"(?: (?:sur |on |via )?(?:les |vos |your )?(?:réseaux sociaux|social (?:media|networks)))?\s*(?::\s*(.*))?$", _I)
_SHARE_THIS = re.compile(r"share this (?:article|story)\b", _I)
_FEED_FOOTER = re.compile(r"(?:lire la suite|continue reading|read more)\b", _I)
# WordPress's footer, on its own line or glued to the last sentence when the feed has no paragraphs
_FEED_CREDIT = re.compile(r"(?:^|(?<=[.!?»”\s]))\s*(?:the post .{1,300}? appeared first on"
                          r"|l['’]article .{1,300}? est apparu en premier sur) .{1,120}?\.?\s*$", _I)
# Medium's: "<Title> was originally published in <Publication> on Medium, where people are continuing the
# conversation by highlighting and responding to this story."
_MEDIUM_CREDIT = re.compile(r"(?:^|(?<=[.!?»”\s]))\s*.{1,300}? was originally published in .{1,200}? on medium, where "
                            r"people are continuing the conversation by highlighting and responding to this story\.?\s*$", _I)
# Substack's subscribe box: "Thanks for reading Sovereign Stack! Subscribe for free to receive new posts and support
# my work.", "Subscribe now", "Share"
_SUBSTACK = re.compile(r"thanks for reading .{1,120}?[!.] subscribe for free to receive new posts and support (?:my|our) work"
                       r"|(?:subscribe now|share|leave a comment|type your email…?)\W*$", _I)
# A press release's closing sections (audit-sites F8), each under a header alone on its line: "About Capgemini",
# « À propos d'OVHcloud », "Forward-Looking Statements", "Safe Harbor Statement", "Disclaimer", « Déclarations
# prospectives », "Media Contacts", « Contacts presse », "Investor Relations", "Attachment". The partners and rivals
# they list (Microsoft, SAP, IBM…) became companies of the story. The text is cut from such a header to its end only
# when what follows is all tail: paragraphs, contact lines, or further tail headers (`_release_tail_start`).
# "About" then a name (capitalised words: "About half of the revenue…" is prose)
_ABOUT_HEADER = re.compile(r"(?i:about|[àa] propos)\s+(?i:de\s+(?:la\s+|l')?|d'|du\s+|des\s+|l')?"
                           r"(?:(?i:the company|us)|[A-Z0-9À-Ý][\w&'.-]*(?:\s+(?:[A-Z0-9À-Ý&][\w&'.-]*|and|et|of|de|du|des)){0,5})"
                           r"\s*:?$")
_ABOUT_HEADER_START = re.compile(r"about\b|[àa] propos\b", _I)
_NOTICE_HEADER = re.compile(
    r"(?:(?:cautionary (?:note|statement|language)s? (?:regarding|concerning|on|about) )?forward[- ]looking"
    r" (?:statements?|information)|(?:safe harbou?r|cautionary) (?:note|statement|language)s?|safe harbou?r"
    r"|disclaimers?|legal notices?|(?:avertissement|mise en garde)s?(?: (?:concernant|relatifs? aux|sur) (?:les )?"
    r"(?:déclarations|informations) prospectives)?|(?:déclarations|informations|énoncés) prospecti(?:ves|fs)"
    r"|déclaration prospective"
    r"|notes? (?:to|for) (?:the )?editors|editors'? notes?|notes? (?:aux|à la|pour la) rédactions?)\s*:?$", _I)
# a release's end mark, alone on its line (twelfth round R12-1): "ENDS", "-ends-", "END" (the London Stock
# Exchange's RNS), « FIN », "###", "# # #", "-30-" (a company's own newsroom closed its release with "# # #", left as
# the story's last line: mini sites, seventh round); what follows it is the release's notes, contacts and the wire's
# own notices
_END_MARK = re.compile(r"[-–—*\s]*(?:ends?|fin|#(?:\s*#){2,}|-30)[-–—*\s]*$", _I)
_CONTACT_HEADER = re.compile(
    r"(?:(?:media|press|investors?|analysts?|company)(?:\s+(?:and|&)\s+(?:media|press|investors?|analysts?))?"
    r"\s+(?:contacts?|relations|enquiries|inquiries)|contacts?(?:\s+(?:presse|médias?|investisseurs?|analystes?))?"
    r"|(?:relations?|contacts?) (?:presse|médias?|investisseurs?|analystes?)|investor relations|relations investisseurs"
    r"|for (?:further|more) information(?:,? (?:please )?contact)?|pour (?:plus d'informations|tout renseignement)"
    r"|attachments?|pièces? jointes?|enquiries|inquiries)\s*:?$", _I)
# A research news page's closing notes (twelfth round R12-4, R12-8): "References", « Référence », "Paper:",
# "Funding", « Contact chercheur » over the paper's citation (its co-authors became persons of the story), the
# grants and the researcher's address
_NOTES_HEADER = re.compile(
    r"(?:references?|référence(?:s| bibliographique)?|bibliograph(?:y|ie)"
    r"|(?:original|scientific|journal) (?:publication|paper|reference)|publication (?:originale|scientifique)"
    r"|(?:the )?(?:paper|study)|publication|l'étude|funding|financements?|acknowledge?ments?|remerciements"
    r"|(?:research(?:er)?|scientific|scientist) contacts?|contacts? (?:chercheu(?:r|se)s?|scientifiques?))\s*:?$", _I)
# a line of the tail that is no paragraph: a URL, an e-mail, a phone number, a wire's marks, a DOI
# (bounded runs: an unbounded `\S+@` tried from every position of a 200,000-character token is quadratic — 65 s; the
# address's name is looked for behind its `@` only, as one character is enough: `[^\s@]{1,64}@` ran 64 steps from each
# character of a 2 MB token, 1.4 s of CPU a search, nineteenth round)
_TAIL_MARK = re.compile(r"(?<=[^\s@])@[^\s@]{1,255}\.\w|https?://|www\.|\+?\d[\d .()-]{7,24}\d|source\s*:"
                        r"|view source version\b|#{3}$|^\s*#(?:\s*#){2,}\s*$|-30-$"
                        r"|^(?-i:[A-Z]{10,20})\s*$"  # RNS's closing code, "AGRFFLFLDIIELIS" (R12-1)
                        r"|\bdoi\s?:\s?10\.\d{4,9}/|doi\.org/10\.", _I)
# the wire's last line: "Source: Capgemini", "SOURCE Mistral AI" (PR Newswire), a few words naming the issuer
_SOURCE_LINE = re.compile(r"(?i:source)\s*:\s*\S|SOURCE\s+[A-Z]")
MAX_SOURCE_WORDS = 6
_PARAGRAPH_END = (".", "!", "?", "»", "”", '"', ")")
MIN_WORDS_BEFORE_TAIL = 30  # a header at the top of the text is no tail
MAX_TAIL_HEADER_WORDS = 8
_ELLIPSIS_TAIL = re.compile(r"\s*\[(?:…|\.\.\.)\]\s*$")

_SEPARATORS = re.compile(r"\s*[|•·]\s*|\s+[-–—/]\s+")
_NETWORKS = {
    "facebook", "x", "twitter", "linkedin", "whatsapp", "e-mail", "email", "mail", "courriel", "sms", "print",
    "imprimer", "copier le lien", "copy link", "bluesky", "threads", "reddit", "telegram", "messenger", "flipboard",
    "pinterest", "mastodon", "instagram", "youtube", "tiktok",
}

# a bar of share buttons read as words (seventh round R7): « Partager sur Facebook Partager sur X Partager sur
# LinkedIn Lire plus tard », "Share on Facebook Share on X": each button a verb and a network; what is left is a few
# words of the bar's own ("Lire plus tard", "Save")
_SHARE_BUTTON = re.compile(r"(?:partager|partagez|share|envoyer|send|post|publier)(?:\s+(?:sur|on|via|par|by|to|with))?\s+"
                           r"(?:" + "|".join(map(re.escape, sorted(_NETWORKS, key=len, reverse=True))) + r")\b", _I)
MAX_SHARE_BAR_REST = 3

_MONTHS = {
    "janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout", "septembre", "octobre",
    "novembre", "décembre", "decembre", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", "jan", "janv", "feb", "févr", "fev", "mar", "apr", "avr", "jun",
    "jul", "juil", "aug", "sep", "sept", "oct", "nov", "dec", "déc",
}
_DAYS = {"lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "monday", "tuesday", "wednesday",
         "thursday", "friday", "saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun"}
# every word of a date line is one of these or holds a digit:
# « Publié le 26 novembre 2026 à 14h05 », "Updated 3 hours ago"
_DATE_WORDS = _MONTHS | _DAYS | {
    "le", "la", "à", "a", "au", "at", "on", "the", "of", "de", "du", "et", "and", "h", "min", "mn", "am", "pm", "a.m",
    "p.m", "publié", "publiée", "mis", "jour", "modifié", "modifiée", "actualisé", "published", "updated", "posted",
    "modified", "last", "ago", "il", "y", "hier", "aujourd", "hui", "yesterday", "today", "hours", "hour", "heures",
    "heure", "minutes", "minute", "days", "day", "jours", "gmt", "utc", "cet", "cest", "bst", "est", "edt", "pst",
    "pdt", "read", "lecture", "temps", "er", "started",
}
_DATE_ANCHORS = _MONTHS | _DAYS | {
    "publié", "publiée", "mis", "modifié", "modifiée", "actualisé", "published", "updated", "posted", "modified", "ago",
    "hier", "yesterday", "today", "aujourd", "read", "lecture",
    "started",  # a live page's "Started <time …>", its time only in the markup (seventh round R15)
}
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b")
# lower-case words a byline may hold besides names: « Par notre envoyée spéciale », "By our correspondent"
_BYLINE_WORDS = {
    "et", "and", "&", "de", "du", "des", "d", "van", "von", "der", "den", "la", "le", "di", "da", "avec", "with",
    "notre", "our", "rédaction", "staff", "reporter", "reporters", "correspondent", "correspondant", "correspondante",
    "envoyé", "envoyée", "spécial", "spéciale", "special",
}
# « Article rédigé par X - Ondes Info », "Story by X", « Texte : X » (seventh round R7): the piece, the verb, then names
_BYLINE = re.compile(r"(?:propos recueillis par|interviewed by|interview(?: conducted)? by|as told to|entretien réalisé par"
                     r"|interview réalisée par|(?:(?:un |une )?(?:article|texte|reportage|enquête|story|text|report)\s+)?"
                     r"(?:(?:rédigée?|écrite?|signée?|written|reported)\s+)?(?:by|par))\s*:?\s+(.+)$", _I)
_WORD = re.compile(r"[^\W_]+(?:[.'’-][^\W_]+)*|&")
# a role after the name and its comma: « , journaliste au service Économie », ", Senior Technology Reporter"
_BYLINE_ROLE_TAIL = re.compile(
    r",\s*(?:(?:(?-i:[A-ZÀ-Ý])[\w'-]*|notre|our)\s+){0,3}?(?:journalistes?|correspondante?s?|rédact(?:eur|rice)s?|reporters?|writers?|editors?"
    r"|correspondents?|chef(?:fe)?s?|direct(?:eur|rice)s?|envoyée?s? spéciale?s?|chroniqueu(?:r|se)|columnists?"
    r"|service|desk)\b.*$", _I)
# the authors' names alone on the body's last line, as a signature: « Julien Mercier et Sophie Lambert » (audit-sites
# F14: they became persons mentioned by the story). Two or three capitalised words a name, joined by et/and/&/commas
_NAME = r"[A-ZÀ-Ý][\w'-]+(?:\s+(?:de|du|des|le|la|van|von|di|da))?(?:\s+[A-ZÀ-Ý][\w'-]+){1,2}"
_SIGNATURE = re.compile(rf"{_NAME}(?:\s*(?:,|\bet\b|\band\b|&)\s*{_NAME})*")
# a signature by initials, as Swiss and Belgian dailies sign: « M.Du. », « J.-P. L. », « (ats/mdu) » (sixth round N12)
# and heise's editor's initials in brackets, lower case: "(tw)", "(ist)", "(tw/ist)" (seventh round R13)
_INITIALS = re.compile(r"\(?(?:[A-ZÀ-Ý][a-zà-ÿ]?\.\s?-?\s?){2,4}\)?|\(\s*[a-zà-ÿ]{2,4}(?:\s*/\s*[a-zà-ÿ]{2,4})*\s*\)")

# An author's bio under the story (mini news sites audit, seventh round R4): "Technology reporter based in Madrid.
# Before joining El Diario Global in 2015 he covered Amazon Web Services and Google…", "Jane Doe is a senior analyst at
# Compute Markets Europe.", « Journaliste au service Économie depuis 2015, elle couvre… ». A journalist's role (an
# analyst's or a researcher's only after "X is a") opens the line, then where or for whom: "based in", "at", « à »,
# « au », a comma. Only among the body's last lines, and never a line reporting speech ("The editor at the FT said…")
_JOURNALIST = (r"(?:reporter|correspondent|journalist|editor|writer|columnist|critic|producer|contributor|journaliste"
               r"|correspondante?|rédact(?:eur|rice)|chroniqueu(?:r|se)|éditorialiste|envoyée? spéciale?)")
_EXPERT = r"(?:analyst|researcher|economist|fellow|analyste|chercheu(?:r|se)|économiste)"
_AUTHOR_BIO = re.compile(
    rf"(?:{_NAME}\s+(?i:is|was|est|était)\s+(?i:an?|the|our|un|une|notre)\s+(?:[\w-]+\s+){{0,3}}?(?i:{_JOURNALIST}|{_EXPERT})"
    rf"|(?!(?i:the|an?|le|la|les|un|une|our|notre|its|his|her|their|this|ce|cette|son|sa|leur)\b)"
    rf"(?:[\w-]+\s+){{0,3}}?(?i:{_JOURNALIST}))"
    r"(?i:\s+(?:based in|at|for|in|with|covering|who|since|specialising in|specializing in|basée? à|à|au|aux|en|chez|pour"
    r"|depuis|spécialisée? (?:dans|en))\b|\s*[,.])")
_REPORTED = re.compile(r"\b(?:said|says|told|added|declined|according to|a déclaré|a indiqué|a dit|a affirmé|a expliqué"
                       r"|selon|explique|déclare|estime)\b|[«»“”\"]", _I)
MAX_BIO_WORDS = 80


def reports_speech(line: str) -> bool:
    """Whether a line reports what someone said (a verb of saying, quotation marks): a story's line, not a label."""
    return _REPORTED.search(line) is not None


# A run of spaces in a line (a `<pre>` block keeps its own, an embedded JSON text its non-breaking ones) is read as
# its first space by the line checks: « Publié le 1 décembre 2026 », 20,000 spaces and a word made `_DATED_BYLINE`
# try every split of the run (quadratic: 15 s of CPU for a 20 KB page; hostile-input audit, ninth round), and other
# patterns with `\s+` between two parts did the same. The text keeps its spaces.
_SPACE_RUN = re.compile(r"(\s)\s+")


def _checked(raw: str) -> str:
    """A line as the furniture checks read it: stripped, each run of spaces as its first one, ’ as '."""
    return _SPACE_RUN.sub(r"\1", raw.strip()).replace("’", "'")


def is_wire_credit(line: str) -> bool:
    """A wire story's closing credits, which `strip_boilerplate` drops: « (Reportage X ; édité par Y) », "Reporting by X
    in Paris; Editing by Y"."""
    return bool(_WIRE_NOTE.match(line) or _SIGN_OFF.match(line))


def _is_author_bio(line: str) -> bool:
    return (len(line.split()) <= MAX_BIO_WORDS and _AUTHOR_BIO.match(line) is not None
            and not _REPORTED.search(line))


def _without_author_bios(lines: list[str]) -> list[str]:
    """The lines without the authors' bios that end them, each with its author's name on the line above, if any."""
    end = len(lines)
    while end and _is_author_bio(_checked(lines[end - 1])):
        end -= 1
        if end and _SIGNATURE.fullmatch(lines[end - 1].strip()):
            end -= 1  # "Manuel Ríos" over his bio
    return lines[:end]


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def is_date_line(line: str) -> bool:
    """« Le 24/11/2026 à 18:35 », "Published 3 hours ago", "5 min read": only dates, times and their labels. A bare
    time ("10 p.m.", a live blog's stamp) is part of the story, so a date or a label is required."""
    words = _words(line.casefold())
    if not words or not all(any(ch.isdigit() for ch in w) or w in _DATE_WORDS for w in words):
        return False
    return bool(_NUMERIC_DATE.search(line)) or any(w in _DATE_ANCHORS for w in words)


def is_byline(line: str) -> bool:
    """« Par A et B », "By Jane Doe, Reuters": « Par »/"By" then only names (capitalised), links and a date tail,
    so "By Monday the board will vote" or « Par ailleurs, … » stay."""
    match = _BYLINE.match(line)
    # the names' part counts: "Written by Express News Service | Hyderabad | December 4, 2026 19:40 IST" (R13-12)
    if not match or len(re.split(r"\s+[|—–]\s+", line)[0].split()) > 12:
        return False
    rest = re.sub(r"\([^)]*\)", " ", match.group(1))  # « (Bruxelles, correspondante) »
    named = _BYLINE_ROLE_TAIL.sub("", rest)  # « Par X, journaliste au service Économie » (audit-sites F11)
    if named != rest and (line.rstrip().endswith((".", "!", "?")) or not any(w[:1].isupper() for w in _words(named))):
        return False  # "By Monday, editors said.", "By 2027, editors expect": a sentence, not a name and its role
    return _names_only(named)


def _names_only(rest: str) -> bool:
    """Only names (capitalised words, « et »/"and", a date) up to a dash or a bar: "Jane Doe — 3 March 2026",
    "Camille Laurent - Ondes Info", "Rhian Morris."."""
    rest = re.split(r"\s+[—–-]\s+|\|", rest)[0]  # "Jane Doe — 3 March 2026", "Jane Doe | Reuters"
    words = _words(rest)
    for word in words:
        if word.casefold() in _BYLINE_WORDS or word.casefold() in _DATE_WORDS or any(ch.isdigit() for ch in word):
            continue
        if not word[0].isupper():
            return False
    return bool(words)


# « publié le 1er décembre 2026, par Yann Le Goff », "Posted on December 1, 2026 by Jane Doe": a date line, then a byline
_DATED_BYLINE = re.compile(r"(.+?)[,;]?\s+((?:par|by)\s.+)$", _I)


def dated_byline(line: str) -> str | None:
    """The « par … » / "by …" part of a date line followed by a byline, else None."""
    match = _DATED_BYLINE.match(line)
    if match and is_date_line(match.group(1)) and is_byline(match.group(2)):
        return match.group(2)
    return None


def _link_texts(tree: Any) -> set[str]:
    return {" ".join(a.text_content().split()).casefold() for a in tree.iter("a")}


def is_link_bar(line: str, links: set[str] | None = None) -> bool:
    """"Facebook | X | WhatsApp | E-mail", "Économie • Industrie • Lille" when those are links of the page: a row of
    links and separators, no prose."""
    pieces = [p for p in _SEPARATORS.split(line.strip().casefold()) if p.strip(" :")]
    if len(pieces) < 2:
        pieces = line.casefold().split()
        return len(pieces) >= 2 and all(p in _NETWORKS for p in pieces)
    return all(p in _NETWORKS or (links is not None and p in links) for p in pieces)


def _is_site_promo(line: str) -> bool:
    folded = line.casefold()
    return any(hint in folded for hint in _PROMO_HINTS) and bool(_SITE_PROMO.search(line))


def _is_tag_line(line: str) -> bool:
    tags = _TAGS.match(line)
    if not tags:
        return False
    items = [item.strip() for item in re.split(r"[,;|•·]", tags.group(1))]
    return len(items) >= 2 and all(item and len(item.split()) <= 4 and not item.endswith(".") for item in items)


def _tail_header(line: str) -> str | None:
    """"about", "notice", "contact" or "notes" for a press release's closing header, else None."""
    if len(line.split()) > MAX_TAIL_HEADER_WORDS and not (":" in line and len(line.split()) <= MAX_WORDS):
        return None
    if _ABOUT_HEADER_START.match(line) and _ABOUT_HEADER.match(line):
        return "about"
    if _NOTICE_HEADER.match(line) or _END_MARK.match(line):
        return "notice"
    if _CONTACT_HEADER.match(line):
        return "contact"
    if _NOTES_HEADER.match(line):
        return "notes"
    # a contact on its header's line (R12-1): « Contact presse : X – 06 12 34 56 78 – x@y.fr », "Media enquiries:
    # X, Head of Media, 07971 123 456"
    label, colon, rest = line.partition(":")
    if colon and _CONTACT_HEADER.match(label.strip()) and _TAIL_MARK.search(rest) and len(line.split()) <= MAX_WORDS:
        return "contact"
    return None


def _is_tail(lines: list[str], section: str) -> bool:
    """Whether the lines after a closing header are all tail: under "About X" and a notice, paragraphs and contact
    marks (a URL, "Get The Future You Want | www.capgemini.com"); under a contact header, short lines (names, phone
    numbers). Another header (a subheading of the story) or a paragraph under a contact header ends it."""
    pending = section == "about"  # "About X" opens a paragraph about X
    for raw in lines:
        line = _checked(raw)
        if not line:
            continue
        header = _tail_header(line)
        if header:
            if pending:
                return False
            section, pending = header, header == "about"
            continue
        if section == "contact":
            if len(line.split()) > MAX_WORDS and not _TAIL_MARK.search(line):
                return False
        elif section == "notes":  # a citation (its DOI), a grant's name, an address; no sentence of prose
            if not _TAIL_MARK.search(line) and (len(line.split()) > MAX_WORDS or line.endswith((".", "!", "?"))):
                return False
        elif not (line.endswith(_PARAGRAPH_END) or _TAIL_MARK.search(line)):
            return False
        pending = False
    return not pending


def _release_tail_start(lines: list[str]) -> int | None:
    """The index of the header that opens a press release's closing sections (see `_ABOUT_HEADER`), or None. Only a
    press release's: the tail must hold a contact or source mark (a URL, an e-mail, a phone, "Source:", "###"), or an
    article's "About the company" subsection and the paragraphs under it went too (review)."""
    if not any(_TAIL_MARK.search(raw) for raw in lines[-MAX_TAIL_LINES:]):
        return None
    words = checked = 0
    for k, raw in enumerate(lines):
        line = _checked(raw)
        if words >= MIN_WORDS_BEFORE_TAIL and (section := _tail_header(line)):
            checked += 1
            if checked > MAX_TAIL_HEADERS:  # header-like lines by the hundred: no press release's tail
                return None
            if _is_tail(lines[k + 1:], section) and any(_TAIL_MARK.search(r) for r in lines[k:]):
                return k
        words += len(line.split())
    return None


MAX_TAIL_LINES = 40  # a press release's contact marks sit in its last lines
MAX_TAIL_HEADERS = 12


def _is_release_head(line: str) -> bool:
    if _RELEASE_KICKER.match(line):
        return True
    dateline = _RELEASE_DATELINE.match(line)
    return bool(dateline and is_date_line(dateline.group(1)))


def _is_labelled_links(line: str) -> bool:
    labelled = _LINKS_LABEL.match(line)
    if not labelled:
        return False
    items = [item.strip() for item in re.split(r"\s[|•·]\s", labelled.group(1))]
    return len(items) >= 2 and all(
        item and len(item.split()) <= MAX_LINK_ITEM_WORDS and not item.endswith((".", ";", ",")) for item in items)


def _is_promotional(line: str) -> bool:
    return bool(_PROMOTIONAL.search(line)) or not line.rstrip().endswith(_PARAGRAPH_END)


def _is_show_credits(line: str) -> bool:
    sentences = [part.strip() for part in _CREDITS_APART.split(line.strip()) if part.strip()]
    if not sentences or not any(_SHOW_CREDIT_LABEL.match(part.rstrip(".;")) for part in sentences):
        return False
    for part in sentences:
        part = part.rstrip(".;")
        if _SHOW_ITSELF.match(part):
            continue
        credit = _SHOW_CREDIT_LABEL.match(part) or _SHOW_MARK.match(part)
        if not credit or not _names_only(next(group for group in credit.groups() if group)):
            return False
    return True


def _is_credit(line: str) -> bool:
    credit = _CREDIT_LINE.match(line)
    return bool(credit and _names_only(credit.group(1)))


def _is_headed_teaser(line: str) -> bool:
    """"MORE FROM BRUSSELS INSIDER: How TikTok won over Ireland's data regulator": a teasers' header and one headline."""
    header, colon, headline = line.partition(":")
    return bool(colon and headline.strip() and _SECTION_HEADER.match(header.strip())
                and len(headline.split()) <= MAX_TEASER_WORDS and _TEASER_ITEM.match(headline.strip()))


def _is_disclosure(line: str) -> bool:
    disclosure = _DISCLOSURE.match(line)
    return bool(disclosure and line.rstrip().endswith(_PARAGRAPH_END) and _DISCLOSED_TIE.search(disclosure.group(1)))


def _is_furniture(line: str) -> bool:
    """A short line that is a paywall note, a comment prompt, an ad label, a "Read more", a newsletter or app promo,
    a wire sign-off, a photo credit, a share bar, the publisher's disclosure, a download link, a credit or a
    briefing's own line (wherever it sits in the text)."""
    if _PAYWALL.match(line) or _COMMENTS.match(line) or _AD_LABEL.match(line) or _READ_MORE.match(line):
        return True
    if _SCRIPT_NOTICE.match(line):
        return True
    if _is_site_promo(line) or _SYNDICATED.match(line) or _LISTEN.match(line) or _SIGN_OFF.match(line):
        return True
    if _WIRE_TAIL.match(line) or _CONTRIBUTED.search(line) or _is_labelled_links(line) or _AGENCY_MARK.match(line):
        return True
    if _WIRE_NOTE.match(line) or _TRANSLATION_NOTE.match(line):
        return True
    # the publisher speaking: at the line's start (a story quoting « nos abonnés » or "join us at" keeps its line)
    if _SUBSCRIBE_PITCH.match(line) or _SELF_FURNITURE.match(line) or _SELF_FURNITURE_END.search(line):
        return True
    if _is_disclosure(line) or _DOWNLOAD.match(line) or _is_credit(line) or _UNSUBSCRIBE.match(line) \
            or _FORWARDED.match(line) or _VIEW_IN_BROWSER.match(line):
        return True
    if (_HOST.match(line) or _TIPS.match(line) or _WRITE_TO_US.match(line) or _STAFF_THANKS.match(line)) \
            and not _REPORTED.search(line):  # "I'm your host tonight," the chief executive told the gala.
        return True
    if _SHOW_CREDIT.match(line) or _is_headed_teaser(line) or _is_show_credits(line):
        return True
    if _is_publisher_call(line):
        return True
    words = len(line.split())
    if (_CREDIT.match(line) and words <= MAX_CREDIT_WORDS) or (_SHORT_CREDIT.match(line) and words <= MAX_SHORT_CREDIT_WORDS):
        return True
    if _NEWSLETTER.match(line) or _NEWSLETTER_CALL.search(line) or _SHARE_THIS.match(line) or _PITCH.match(line):
        return True
    if _SHARE_PROMPT.match(line) or _FIRST_APPEARED.match(line) or _SECTION_HEADER.match(line) or _is_tag_line(line) \
            or _REPUBLISHED.match(line):
        return True
    share = _SHARE.match(line)
    return bool(share and (not share.group(1) or is_link_bar(share.group(1)))) or _is_share_buttons(line)


def _is_publisher_call(line: str) -> bool:
    """The publisher addressing the reader or describing its own text (eighth round): a subscription call or paywall
    label, a call to write in or submit, how to reach the author, a series box, a rights notice, an imprint bar.
    Reported speech ("… Subscribe today, the campaign urged") is the story's."""
    if _PAYWALL_LABEL.match(line) or _SERIES.match(line) or _RIGHTS.match(line) or _INVESTING_PROMO.match(line):
        return True
    if _OPINION_DISCLAIMER.match(line) and not _REPORTED.search(line):
        return True
    if _AFFILIATE.match(line) and not _REPORTED.search(line):
        return True
    if _POSITIONS.match(line) and _POSITIONS_TIE.search(line) and line.rstrip().endswith(_PARAGRAPH_END):
        return True
    if (_SUBSCRIBE_CALL.match(line) or _READER_CALL.match(line) or _REACH.match(line)) and not _REPORTED.search(line):
        return True
    if _CLOSING_CALL.match(line) and len(line.split()) <= MAX_CLOSING_CALL_WORDS and not _REPORTED.search(line):
        return True
    return bool(_SEPARATORS.search(line) and _STREET_ADDRESS.search(line) and not line.rstrip().endswith("."))


def _is_share_buttons(line: str) -> bool:
    buttons = len(_SHARE_BUTTON.findall(line))
    rest = _SHARE_BUTTON.sub(" ", line).split()
    return buttons >= 1 and len(rest) <= (MAX_SHARE_BAR_REST if buttons >= 2 else 0) \
        and not any(ch in ".!?" for ch in " ".join(rest))


def strip_boilerplate(text: str, tree: Any = None) -> str:
    """Extracted text without its furniture lines (see the module docstring). `tree`, the parsed page, lets a bar of
    the page's own links ("Économie | Industrie | Lille") be recognised."""
    if not text:
        return text
    lines = text.split("\n")
    if (tail := _release_tail_start(lines)) is not None:
        lines = lines[:tail]
    links: set[str] | None = None
    out = []
    last = max((i for i, line in enumerate(lines) if line.strip()), default=-1)  # the body's last line
    teasers = False  # under a "Most read" / "Related Articles" header: its list of other stories follows
    contents = answers = False  # under a newsletter's "In today's issue:" / a poll's question: its items follow
    sponsored = 0  # lines still to drop under a "Sponsored content" header: the sponsor's own pitch
    # A signature block at the top (« Article rédigé par X - Ondes Info », « Radio France », « Publié le … Mis à jour
    # le … », « Temps de lecture : 4 min », share buttons) goes on past the first EDGE_LINES lines: after a byline or a
    # date, the next line is still looked at as one, and a short label between two of them (« Radio France ») goes too
    signed = False
    label: int | None = None  # that label's index in `out`
    for i, raw in enumerate(lines):
        if "opens new tab" in raw:
            raw = _LINK_SUFFIX.sub("", raw)
        if "↩" in raw or "⤴" in raw:
            raw = _BACKREF.sub("", raw)
        line = _checked(raw)
        if not line:
            out.append(raw)
            continue
        if i < EDGE_LINES and (mark := _DISTRIBUTOR_DATELINE.match(raw.strip())):
            raw = raw.strip()[mark.end():]
            line = _checked(raw)
            if not line:
                continue
        if len(line) > MAX_LINE_CHARS:  # a paragraph, or one endless "word": each check below ran over all of it
            teasers, sponsored, signed, label = False, 0, False, None
            out.append(raw)
            continue
        if teasers:
            teasers = bool(_TEASER_ITEM.match(line)) and len(line.split()) <= MAX_TEASER_WORDS
            if teasers:
                continue
        if line and len(line.split()) <= MAX_WORDS and _SECTION_HEADER.match(line):
            teasers = True
            continue
        if contents:  # a newsletter's contents: list items only, its first story's heading ends them
            contents = bool(_LIST_ITEM.match(line)) and len(line.split()) <= MAX_TEASER_WORDS
            if contents:
                continue
        if answers:  # a poll's answers (list items, or an emoji and a few words), and its prompt to log in
            answers = (_LIST_ITEM.match(line) or not line[:1].isalnum()) and len(line.split()) <= MAX_POLL_ANSWER_WORDS \
                and not line.endswith(_PARAGRAPH_END) or bool(_SELF_FURNITURE.match(line))
            if answers:
                continue
        if line and (_CONTENTS_HEADER.match(line) or _POLL_QUESTION.match(line)):
            contents, answers = bool(_CONTENTS_HEADER.match(line)), bool(_POLL_QUESTION.match(line))
            continue
        if line and sponsored:
            sponsored -= 1
            if len(line.split()) <= MAX_PROMO_WORDS and _is_promotional(line):
                continue
            sponsored = 0
        if line and len(line.split()) <= MAX_SPONSOR_WORDS and not line.rstrip().endswith((".", ",", ";")) \
                and "," not in line and _SPONSOR_HEADER.match(line):
            sponsored = MAX_SPONSORED_LINES
            continue
        if line and len(line.split()) <= MAX_WORDS:
            furniture = _is_furniture(line)
            top = i < EDGE_LINES or len(out) < EDGE_LINES or signed
            dated = False
            if not furniture and (top or i >= len(lines) - EDGE_LINES):
                dated = is_byline(line) or is_date_line(line) or dated_byline(line) is not None
                furniture = dated or _SIGNED_WITH_AGENCY.match(line) is not None
            if top and furniture and (dated or signed):
                signed = True
                if label is not None:
                    del out[label]  # « Radio France » between the byline and the date
                label = None
                continue
            if signed and label is None and not furniture and _is_box_header(line) \
                    and len(line.split()) <= MAX_LABEL_WORDS and not any(ch.isdigit() for ch in line):
                label = len(out)
                out.append(raw)
                continue
            if not furniture and i == last:
                furniture = _SIGNATURE.fullmatch(line) is not None or _INITIALS.fullmatch(line) is not None
            if not furniture and i >= len(lines) - EDGE_LINES:
                furniture = _BLOG_CLOSING.match(line) is not None or (
                    _SOURCE_LINE.match(line) is not None and len(line.split()) <= MAX_SOURCE_WORDS)
            if not furniture and i < EDGE_LINES:  # the kicker, the dateline, the headline again under the kicker
                furniture = _is_release_head(line) or (not line.endswith((".", "!", "»", '"', "”")) and any(
                    line.casefold() == _checked(kept).casefold() for kept in out))
            bar = not furniture and _SEPARATORS.search(line)
            if bar and all(len(piece.split()) <= 5 for piece in _SEPARATORS.split(line)):
                if links is None and tree is not None:
                    links = _link_texts(tree)
                furniture = is_link_bar(line, links)
            if furniture:
                if out and _DOWNLOAD.match(line) and _is_box_header(out[-1]):
                    out.pop()  # "Get the data" over the download link
                elif out and _SELF_FURNITURE.match(line) and _SHARE_BOX.fullmatch(_checked(out[-1])):
                    out.pop()  # "Share The Pulse" over the referral count
                elif out and _CALL_HEADER.match(out[-1].strip()) and _is_publisher_call(line):
                    out.pop()  # « Vous avez une question ? » over the call
                continue
        elif line and len(line.split()) <= MAX_PROMO_WORDS and (_is_site_promo(line) or _WIRE_TAIL.match(line)
                                                                 or _SUBSCRIBE_PITCH.match(line) or _is_disclosure(line)
                                                                 or _is_publisher_call(line)
                                                                 or _TRANSLATION_NOTE.match(line)
                                                                 # The Conversation's US notice (R13-9), 37 words
                                                                 or _REPUBLISHED.match(line) or _SYNDICATED.match(line)):
            if out and _CALL_HEADER.match(out[-1].strip()):
                out.pop()  # « Vous avez une question ? » over the call
            continue  # a long promo or "To contact the reporters on this story: …" naming four of them
        signed, label = False, None
        out.append(raw)
    text = "\n".join(_without_dangling_header(_without_pull_quotes(_without_author_bios(out)))).strip()
    return _END_SIGN.sub("", text)


MAX_DANGLING_HEADER_WORDS = 3
# a newsletter writer's sign-off, a dash and a first name or two (mini sites, seventh round: "— Olivia" closed a Beehiiv
# issue's text once its poll and referral box went); not a list's last item ("- Mistral AI")
_DASHED_SIGN_OFF = re.compile(r"(?:[—–]|--)\s*[A-ZÀ-Ý][\w'-]++(?:\s*(?:&|\band\b|\bet\b|,)?\s*[A-ZÀ-Ý][\w'-]++){0,2}")
MAX_SIGN_OFF_CHARS = 60


def _without_dangling_header(lines: list[str]) -> list[str]:
    """The lines without a box's header left last once the box went ("Links" over a show's list of links, tenth round
    R10-6): a story does not end on a heading. A few words, no digit, no sentence end, under a paragraph or a list.
    Nor on its writer's sign-off ("— Olivia")."""
    kept = [k for k, raw in enumerate(lines) if raw.strip()]
    sign_off = lines[kept[-1]] if kept else ""
    if len(kept) >= 2 and len(sign_off) <= MAX_SIGN_OFF_CHARS and _DASHED_SIGN_OFF.fullmatch(_checked(sign_off)):
        return lines[:kept[-1]]
    if len(kept) < 2:
        return lines
    last, before = lines[kept[-1]].strip(), lines[kept[-2]].strip()
    if len(last.split()) <= MAX_DANGLING_HEADER_WORDS and _is_box_header(last) and last[:1].isalpha() \
            and not any(ch.isdigit() for ch in last) and (before.endswith(_PARAGRAPH_END) or before.startswith(("- ", "* "))):
        return lines[:kept[-1]]
    return lines


def _is_box_header(raw: str) -> bool:
    line = raw.strip()
    return 0 < len(line.split()) <= MAX_BOX_HEADER_WORDS and not line.endswith(_PARAGRAPH_END + (",", ";", ":"))


PULL_QUOTE_WORDS = (8, 60)  # a pull quote is a sentence or two; a shorter line may be a subheading met in the prose
PULL_QUOTE_REACH = 4  # it sits beside the paragraph it repeats; a heading echoed by a far table of contents is kept
_QUOTE_EDGES = " \t\"'“”«»‘’„.,;:…—–-"


def _without_pull_quotes(lines: list[str]) -> list[str]:
    """The lines without those that only repeat part of a longer nearby line: a pull quote (« blockquote.pull-quote »)
    restating a sentence of the story. The first two lines (a headline under its breadcrumb) are left alone."""
    keys = [line.replace("’", "'").casefold().strip(_QUOTE_EDGES) for line in lines]  # spaces: one already
    low, high = PULL_QUOTE_WORDS
    out = []
    for i, (line, key) in enumerate(zip(lines, keys)):
        if i >= 2 and low <= len(key.split()) <= high and any(
                len(near) > len(key) and key in near
                for near in keys[max(0, i - PULL_QUOTE_REACH): i] + keys[i + 1: i + 1 + PULL_QUOTE_REACH]):
            continue
        out.append(line)
    return out


def strip_feed_footers(text: str) -> str:
    """Feed summary text without the footers feeds append: "The post X appeared first on Y.", « L’article X est
    apparu en premier sur Y. », Medium's "X was originally published in Y on Medium, …", Substack's subscribe box,
    « Lire la suite », "Continue reading", "Read more", a trailing "[…]"."""
    out = []
    for raw in text.split("\n"):
        line = _MEDIUM_CREDIT.sub("", _FEED_CREDIT.sub("", _ELLIPSIS_TAIL.sub("", raw.strip()))).strip()
        # a footer follows the summary: a one-line text (a title) that starts with "Read more" is kept
        if line and not (out and len(line.split()) <= MAX_WORDS and (_FEED_FOOTER.match(line) or _SUBSTACK.match(line))):
            out.append(line)
    return "\n".join(out)
