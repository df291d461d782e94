// 实时动态: listens to the server-sent-events stream and lists each event as it comes (newest first, at most 100).
(function () {
  var list = document.getElementById("live-events");
  var state = document.getElementById("live-state");
  if (!list || !window.EventSource) { if (state) { state.textContent = "浏览器不支持实时更新"; } return; }
  var source = new EventSource(list.getAttribute("data-stream"));
  source.onopen = function () { state.textContent = "已连接"; state.className = "badge ok"; };
  source.onerror = function () { state.textContent = "重新连接中"; state.className = "badge warn"; };
  source.addEventListener("zhifa", function (e) {
    var d = JSON.parse(e.data);
    var item = document.createElement("li");
    var badge = document.createElement("span");
    badge.className = "badge";
    badge.textContent = d.label;
    var text = document.createElement("span");
    text.className = "title";
    var what = d.data && (d.data.title || d.data.decision_number || d.data.number) || d.object;
    text.textContent = " " + (d.agency ? d.agency + "：" : "") + what;
    var when = document.createElement("span");
    when.className = "muted";
    when.textContent = " " + new Date(d.time).toLocaleString("zh-CN", { hour12: false });
    item.appendChild(badge); item.appendChild(text); item.appendChild(when);
    list.insertBefore(item, list.firstChild);
    while (list.children.length > 100) { list.removeChild(list.lastChild); }
  });
})();
