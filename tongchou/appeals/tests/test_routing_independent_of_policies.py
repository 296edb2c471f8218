"""Appeal routing cuts text with its own dictionary: the policy library's extra words (稳岗返还,
应急转贷 …) never change how an appeal is routed, whatever ran before in the same process."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = r"""
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongchou.settings")
from tongchou.appeals import routing
from tongchou.appeals.routing import DepartmentProfile, Router, default_categories

departments = [
    DepartmentProfile("区人力资源社会保障局", measure_texts=(
        "对不裁员或少裁员的企业，返还其上年度实际缴纳失业保险费的50%，稳岗返还资金直接拨付。",
        "中小微企业吸纳就业给予社会保险补贴。")),
    DepartmentProfile("区地方金融监管局", measure_texts=(
        "设立应急转贷资金，帮助企业无还本续贷，创业担保贷款贴息。",)),
    DepartmentProfile("区市场监督管理局", measure_texts=("个体工商户减免房租，复工复产检查。",)),
]
router = Router(departments, default_categories())
texts = [
    "我们企业去年没有裁员，能否申请失业保险稳岗返还？钱什么时候到账？",
    "企业贷款到期还款有困难，听说有应急转贷资金，请问怎么申请？",
    "个体工商户复工复产后房租能不能减免？",
]

def answers():
    out = []
    for t in texts:
        r = router.route(t)
        out.append({"category": r.category, "confidence": r.confidence,
                    "candidates": [[c.department, c.score] for c in r.candidates]})
    return out

before = answers()
# what a policy search does: cut the query and measure texts with the library's tokenizer
from tongchou.policies.tokens import index_tokens, query_tokens, TOKENIZER as POLICY
query_tokens("稳岗返还 应急转贷")
index_tokens("对不裁员的企业实施稳岗返还，设立应急转贷资金。")
after = answers()

# the test's own sensitivity: had routing cut with the library's dictionary, the answers differ
routing.TOKENIZER = POLICY
with_policy_words = answers()
print(json.dumps({"before": before, "after": after, "with_policy_words": with_policy_words,
                  "policy_cut": POLICY.cut("申请稳岗返还", hmm=False)}, ensure_ascii=False))
"""


def test_routing_answers_the_same_before_and_after_a_policy_search_in_one_process():
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=120, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["before"] == result["after"]
    # the library's dictionary really is different, and would have changed the scores
    assert "稳岗返还" in result["policy_cut"]
    assert result["with_policy_words"] != result["before"]


def test_routing_tokens_do_not_see_words_another_tokenizer_added():
    from tongchou.appeals.routing import tokens
    from tongchou.core.text import Tokenizer

    text = "能否申请失业保险稳岗返还"
    assert "稳岗返还" not in tokens(text)
    Tokenizer(["稳岗返还"]).cut(text)  # another app's dictionary, in use in this process
    assert "稳岗返还" not in tokens(text)
